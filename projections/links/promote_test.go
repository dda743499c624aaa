package links

import (
	"context"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
)

var surface = []projectortest.Query{
	{Name: "links", SQL: "SELECT url, link_id, kind, num_packages, num_projects, num_repos," +
		" ifNull(toString(orphaned_at, 'UTC'), '') AS orphaned_at FROM {{db}}.links ORDER BY link_id, kind"},
}

// goldenMain is golden-main's first two snapshots on two partitions, and
// the rows they project to.
func goldenMain(t *testing.T) (*projectortest.Story, projectortest.Dump) {
	ctx := context.Background()
	story, err := projectortest.Tell(ctx, 2, 4, []projectortest.Take{
		{Name: "main-1", Repository: projectortest.GoldenMain, Sequence: 1, Index: projectortest.Testdata("main-1.Packages")},
		{Name: "main-2", Repository: projectortest.GoldenMain, Sequence: 2, After: "main-1", Index: projectortest.Testdata("main-2.Packages")},
	})
	require.NoError(t, err)
	conn, db := projectortest.Database(t)
	require.NoError(t, New(db).Apply(ctx, conn, story.All()))
	return story, dump(t, conn, db)
}

func dump(t *testing.T, conn driver.Conn, db string) projectortest.Dump {
	t.Helper()
	d, err := projectortest.DumpSurface(context.Background(), conn, db, surface)
	require.NoError(t, err)
	return d
}

// TestASlowPromotionOfAnOlderSnapshotChangesNothing plays two processes
// sharing the group: A (partition 0) records the markers that complete
// snapshot 1 but is slow to promote it; meanwhile B (partition 1)
// completes snapshot 2, promotes snapshot 1 first (it is complete and not
// yet promoted), then snapshot 2. A's late promotion changes nothing.
func TestASlowPromotionOfAnOlderSnapshotChangesNothing(t *testing.T) {
	ctx := context.Background()
	story, want := goldenMain(t)
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
	require.NoError(t, b.Apply(ctx, conn, p1[len(p1)-1:]), "B completes snapshot 2, promotes 1 and 2")
	projectortest.AssertSameDump(t, want, dump(t, conn, db))
	require.NoError(t, a.promote(ctx, conn, complete[0]), "A promotes snapshot 1 at last")
	require.NoError(t, a.ledger.Advance(ctx, conn, complete[0]))
	projectortest.AssertSameDump(t, want, dump(t, conn, db))
}

// TestAPromotionCutShortIsCompletedByTheRedelivery stops a promotion of
// snapshot 2 right after the state took it, before the counts were
// rewritten (a crash), then applies the batch again as the group
// redelivers it: the counts of the links snapshot 2 changed must be
// rewritten although the state already holds snapshot 2.
func TestAPromotionCutShortIsCompletedByTheRedelivery(t *testing.T) {
	ctx := context.Background()
	story, want := goldenMain(t)
	conn, db := projectortest.Database(t)
	p := New(db)
	first, second := splitAt(story.All(), 2)
	require.NoError(t, p.Apply(ctx, conn, first))

	require.NoError(t, p.stage(ctx, conn, second))
	complete, err := p.ledger.Record(ctx, conn, second)
	require.NoError(t, err)
	require.Len(t, complete, 1)
	require.NoError(t, p.promoteState(ctx, conn, complete[0]))

	require.NoError(t, p.Apply(ctx, conn, second))
	got := dump(t, conn, db)
	projectortest.AssertSameDump(t, want, got)
	assert.Contains(t, got["links"], `"https://www.gnu.org/software/hello/"`+"\t8530566675335364961\t\"homepage\"\t0\t0\t0\t\"2026-01-03 06:00:00\"",
		"hello and its homepage disappeared in snapshot 2")
}

// splitAt cuts evs before the first event of snapshot seq.
func splitAt(evs []consumers.Event, seq uint64) ([]consumers.Event, []consumers.Event) {
	for i, e := range evs {
		if e.Sequence == seq {
			return evs[:i], evs[i:]
		}
	}
	return evs, nil
}
