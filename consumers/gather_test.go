package consumers

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
)

func markerRecord(t *testing.T, typ events.Type, seq uint64, partition int) bus.Record {
	t.Helper()
	e := &events.Envelope{Type: typ, Repository: events.Repository{Family: "debian"}, Sequence: seq,
		Marker: &events.Marker{Partition: int32(partition), Partitions: 2}}
	b, err := events.Encode(e)
	require.NoError(t, err)
	return bus.Record{Partition: partition, Value: b, Headers: []bus.Header{{Key: bus.PartitionMetadata, Value: []byte("0")}}}
}

func TestOpenSnapshotSeesAStartWithoutItsCommit(t *testing.T) {
	event := bus.Record{Partition: 0, Value: []byte(`{"type":"package.appeared"}`)}
	cases := []struct {
		name  string
		batch bus.Batch
		open  bool
	}{
		{"an empty batch", nil, false},
		{"package events only", bus.Batch{event}, false},
		{"a started marker alone", bus.Batch{markerRecord(t, events.SnapshotStarted, 1, 0)}, true},
		{"started and committed on one partition, started on the other",
			bus.Batch{markerRecord(t, events.SnapshotStarted, 1, 0), event, markerRecord(t, events.SnapshotCommitted, 1, 0), markerRecord(t, events.SnapshotStarted, 1, 1)}, true},
		{"a whole snapshot", bus.Batch{markerRecord(t, events.SnapshotStarted, 1, 0), markerRecord(t, events.SnapshotStarted, 1, 1), event,
			markerRecord(t, events.SnapshotCommitted, 1, 1), markerRecord(t, events.SnapshotCommitted, 1, 0)}, false},
		{"a commit whose start came in an earlier batch", bus.Batch{event, markerRecord(t, events.SnapshotCommitted, 1, 0)}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.open, openSnapshot(c.batch))
		})
	}
}
