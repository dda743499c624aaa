package staged_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

func event(typ events.Type, release string, seq uint64) consumers.Event {
	return consumers.Event{Envelope: &events.Envelope{Type: typ, Sequence: seq,
		Repository: events.Repository{Family: "debian", Distribution: "debian", Release: release}}}
}

func TestChunksSpanAtMostMaxPartsSnapshotsAndSkipMarkers(t *testing.T) {
	a1, a2, b1 := event(events.PackageAppeared, "a", 1), event(events.PackageChanged, "a", 2), event(events.PackageAppeared, "b", 1)
	marker := event(events.SnapshotCommitted, "a", 1)
	tests := []struct {
		name     string
		batch    []consumers.Event
		maxParts int
		want     [][]consumers.Event
	}{
		{"a batch of markers only has no chunks", []consumers.Event{marker}, 2, nil},
		{"a batch within the limit is one chunk", []consumers.Event{a1, marker, a2, a1}, 2, [][]consumers.Event{{a1, a2, a1}}},
		{"a new snapshot past the limit starts a chunk", []consumers.Event{a1, a2, b1, a2}, 2, [][]consumers.Event{{a1, a2}, {b1, a2}}},
		{"one snapshot per chunk", []consumers.Event{a1, a1, b1}, 1, [][]consumers.Event{{a1, a1}, {b1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, staged.Chunks(tt.batch, tt.maxParts))
		})
	}
}
