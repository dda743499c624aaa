package packages

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
)

// TestASlowPromotionOfAnOlderSnapshotKeepsItsRows plays two processes
// sharing the group: A (partition 0) records the markers that complete
// snapshot 1 but is slow to promote it; meanwhile B (partition 1)
// completes and promotes snapshot 2. B must not drop snapshot 1's staged
// rows, which A is about to promote.
func TestASlowPromotionOfAnOlderSnapshotKeepsItsRows(t *testing.T) {
	ctx := context.Background()
	story, err := projectortest.Tell(ctx, 2, 4, []projectortest.Take{
		{Name: "main-1", Repository: projectortest.GoldenMain, Sequence: 1, Index: projectortest.Testdata("main-1.Packages")},
		{Name: "main-2", Repository: projectortest.GoldenMain, Sequence: 2, After: "main-1", Index: projectortest.Testdata("main-2.Packages")},
	})
	require.NoError(t, err)
	surface := []projectortest.Query{{Name: "packages", SQL: "SELECT * FROM {{db}}.packages ORDER BY repository_id, key"}}

	refConn, refDB := projectortest.Database(t)
	require.NoError(t, New(refDB).Apply(ctx, refConn, story.All()))
	want, err := projectortest.DumpSurface(ctx, refConn, refDB, surface)
	require.NoError(t, err)

	conn, db := projectortest.Database(t)
	a, b := New(db), New(db)
	p0, p1 := story.Log.Partition(0), story.Log.Partition(1)
	last := p1[len(p1)-1]
	require.Equal(t, events.SnapshotCommitted, last.Type)
	require.Equal(t, uint64(2), last.Sequence)

	require.NoError(t, b.Apply(ctx, conn, p1[:len(p1)-1]))
	require.NoError(t, a.stage(ctx, conn, p0))
	complete, err := a.ledger.Record(ctx, conn, p0)
	require.NoError(t, err)
	require.Len(t, complete, 1, "A completes snapshot 1 only")
	require.NoError(t, b.Apply(ctx, conn, p1[len(p1)-1:]), "B completes and promotes snapshot 2")
	require.NoError(t, a.promote(ctx, conn, complete[0]), "A promotes snapshot 1 at last")

	got, err := projectortest.DumpSurface(ctx, conn, db, surface)
	require.NoError(t, err)
	projectortest.AssertSameDump(t, want, got)
}
