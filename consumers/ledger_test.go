package consumers_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
)

var (
	repoA = events.Repository{Name: "a", Family: "debian", Distribution: "debian", Release: "bookworm", Component: "main", Architecture: "amd64"}
	repoB = events.Repository{Name: "b", Family: "debian", Distribution: "debian", Release: "trixie", Component: "main", Architecture: "amd64"}
)

// commit returns the copy of snapshot seq's commit marker for partition
// part of parts.
func commit(repo events.Repository, seq uint64, part, parts int32) consumers.Event {
	return consumers.Event{
		Envelope: &events.Envelope{
			Type: events.SnapshotCommitted, SchemaVersion: events.SchemaVersion, Repository: repo, Sequence: seq,
			SnapshotTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Marker:       &events.Marker{PreviousSequence: seq - 1, Partition: part, Partitions: parts},
		},
		Partition: int(part),
		Offset:    int64(seq)*10 + int64(part),
	}
}

// at moves a marker copy to offset off of its partition.
func at(e consumers.Event, off int64) consumers.Event {
	e.Offset = off
	return e
}

func started(repo events.Repository, seq uint64, part, parts int32) consumers.Event {
	e := commit(repo, seq, part, parts)
	e.Type = events.SnapshotStarted
	return e
}

func TestLedgerRecordReturnsSnapshotsCompleteOnEveryPartition(t *testing.T) {
	tests := []struct {
		name    string
		batches [][]consumers.Event
		want    [][]uint64 // sequences Record returns, per batch
	}{
		{
			name:    "every partition's marker in one batch completes the snapshot",
			batches: [][]consumers.Event{{commit(repoA, 1, 0, 3), commit(repoA, 1, 1, 3), commit(repoA, 1, 2, 3)}},
			want:    [][]uint64{{1}},
		},
		{
			name:    "markers spread over batches complete with the last one",
			batches: [][]consumers.Event{{commit(repoA, 1, 2, 3)}, {commit(repoA, 1, 0, 3)}, {commit(repoA, 1, 1, 3)}},
			want:    [][]uint64{nil, nil, {1}},
		},
		{
			name:    "a marker missing on one partition leaves the snapshot incomplete",
			batches: [][]consumers.Event{{commit(repoA, 1, 0, 3), commit(repoA, 1, 1, 3)}, {commit(repoA, 2, 0, 3)}},
			want:    [][]uint64{nil, nil},
		},
		{
			name:    "a duplicated marker counts once",
			batches: [][]consumers.Event{{commit(repoA, 1, 0, 2), commit(repoA, 1, 0, 2)}, {commit(repoA, 1, 0, 2)}},
			want:    [][]uint64{nil, nil},
		},
		{
			name:    "a re-delivered last marker completes the snapshot again",
			batches: [][]consumers.Event{{commit(repoA, 1, 0, 2), commit(repoA, 1, 1, 2)}, {commit(repoA, 1, 1, 2)}},
			want:    [][]uint64{{1}, {1}},
		},
		{
			name:    "a marker without a partition count is the only copy",
			batches: [][]consumers.Event{{commit(repoA, 1, 0, 0)}},
			want:    [][]uint64{{1}},
		},
		{
			name:    "started markers and other repositories do not count",
			batches: [][]consumers.Event{{started(repoA, 1, 1, 2), commit(repoB, 1, 1, 2), commit(repoA, 1, 0, 2)}},
			want:    [][]uint64{nil},
		},
		{
			name:    "snapshots complete together come in log order",
			batches: [][]consumers.Event{{at(commit(repoA, 2, 0, 1), 30), at(commit(repoB, 1, 0, 1), 20), at(commit(repoA, 1, 0, 1), 10)}},
			want:    [][]uint64{{1, 1, 2}}, // a@1, b@1, a@2: their offsets on partition 0
		},
		{
			name:    "log order is where the partition 0 copy stands",
			batches: [][]consumers.Event{{at(commit(repoA, 1, 1, 2), 5), at(commit(repoB, 3, 1, 2), 9), at(commit(repoB, 3, 0, 2), 30), at(commit(repoA, 1, 0, 2), 40)}},
			want:    [][]uint64{{3, 1}}, // b@3 (30) before a@1 (40), whatever partition 1 says
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			conn, db := projectortest.Database(t)
			ledger := consumers.NewLedger(db, "test")
			for i, b := range tt.batches {
				got, err := ledger.Record(ctx, conn, b)
				require.NoError(t, err)
				var seqs []uint64
				for _, s := range got {
					seqs = append(seqs, s.Sequence)
				}
				assert.Equal(t, tt.want[i], seqs, "batch %d", i)
			}
		})
	}
}

func TestLedgerRecordSeesOtherProjectorsMarkersNot(t *testing.T) {
	ctx := context.Background()
	conn, db := projectortest.Database(t)
	one, other := consumers.NewLedger(db, "one"), consumers.NewLedger(db, "other")
	_, err := other.Record(ctx, conn, []consumers.Event{commit(repoA, 1, 0, 2)})
	require.NoError(t, err)
	got, err := one.Record(ctx, conn, []consumers.Event{commit(repoA, 1, 1, 2)})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestLedgerCommittedFollowsAdvanceAndNeverMovesBack(t *testing.T) {
	ctx := context.Background()
	conn, db := projectortest.Database(t)
	ledger := consumers.NewLedger(db, "test")
	record := func(evs ...consumers.Event) []consumers.Snapshot {
		got, err := ledger.Record(ctx, conn, evs)
		require.NoError(t, err)
		return got
	}
	committed := func() map[string]uint64 {
		got, err := ledger.Committed(ctx, conn)
		require.NoError(t, err)
		return got
	}

	assert.Empty(t, committed(), "nothing advanced yet")
	one := record(commit(repoA, 1, 0, 2), commit(repoA, 1, 1, 2))
	require.Len(t, one, 1)
	require.NoError(t, ledger.Advance(ctx, conn, one[0]))
	assert.Equal(t, map[string]uint64{repoA.ID(): 1}, committed())

	assert.Empty(t, record(commit(repoA, 2, 0, 2)), "snapshot 2 is aborted: partition 1 never gets its marker")
	three := record(commit(repoA, 3, 0, 2), commit(repoA, 3, 1, 2))
	require.Len(t, three, 1)
	require.NoError(t, ledger.Advance(ctx, conn, three[0]))
	require.NoError(t, ledger.Advance(ctx, conn, three[0]), "advancing twice")
	require.NoError(t, ledger.Advance(ctx, conn, one[0]), "a late re-promotion of snapshot 1")
	assert.Equal(t, map[string]uint64{repoA.ID(): 3}, committed())
}
