package stagedtest

import (
	"context"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
)

// Steps are the parts of a staged projection that the promotion tests
// drive one by one, as a crash or a slow process would leave them.
type Steps struct {
	Apply        func(ctx context.Context, conn driver.Conn, batch []consumers.Event) error
	Stage        func(ctx context.Context, conn driver.Conn, batch []consumers.Event) error
	Promote      func(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error
	PromoteState func(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error
	Ledger       *consumers.Ledger
}

// Promotion runs the promotion tests of a staged projection: New returns
// the steps of a projection writing to database, Surface the queries whose
// results must not differ.
type Promotion struct {
	New     func(database string) Steps
	Surface []projectortest.Query
}

// goldenMain is golden-main's first two snapshots on two partitions, and
// the rows they project to.
func (p Promotion) goldenMain(t *testing.T) (*projectortest.Story, projectortest.Dump) {
	ctx := context.Background()
	story, err := projectortest.Tell(ctx, 2, 4, []projectortest.Take{
		{Name: "main-1", Repository: projectortest.GoldenMain, Sequence: 1, Index: projectortest.Testdata("main-1.Packages")},
		{Name: "main-2", Repository: projectortest.GoldenMain, Sequence: 2, After: "main-1", Index: projectortest.Testdata("main-2.Packages")},
	})
	require.NoError(t, err)
	conn, db := projectortest.Database(t)
	require.NoError(t, p.New(db).Apply(ctx, conn, story.All()))
	return story, p.Dump(t, conn, db)
}

// Dump returns the rows of the surface in db.
func (p Promotion) Dump(t *testing.T, conn driver.Conn, db string) projectortest.Dump {
	t.Helper()
	d, err := projectortest.DumpSurface(context.Background(), conn, db, p.Surface)
	require.NoError(t, err)
	return d
}

// SlowPromotionOfAnOlderSnapshotChangesNothing plays two processes
// sharing the group: A (partition 0) records the markers that complete
// snapshot 1 but is slow to promote it; meanwhile B (partition 1)
// completes snapshot 2, promotes snapshot 1 first (it is complete and not
// yet promoted), then snapshot 2. A's late promotion changes nothing.
func (p Promotion) SlowPromotionOfAnOlderSnapshotChangesNothing(t *testing.T) {
	ctx := context.Background()
	story, want := p.goldenMain(t)
	conn, db := projectortest.Database(t)
	a, b := p.New(db), p.New(db)
	p0, p1 := story.Log.Partition(0), story.Log.Partition(1)
	last := p1[len(p1)-1]
	require.Equal(t, events.SnapshotCommitted, last.Type)
	require.Equal(t, uint64(2), last.Sequence)

	require.NoError(t, b.Apply(ctx, conn, p1[:len(p1)-1]))
	require.NoError(t, a.Stage(ctx, conn, p0))
	complete, err := a.Ledger.Record(ctx, conn, p0)
	require.NoError(t, err)
	require.Len(t, complete, 1, "A completes snapshot 1 only")
	require.NoError(t, b.Apply(ctx, conn, p1[len(p1)-1:]), "B completes snapshot 2, promotes 1 and 2")
	projectortest.AssertSameDump(t, want, p.Dump(t, conn, db))
	require.NoError(t, a.Promote(ctx, conn, complete[0]), "A promotes snapshot 1 at last")
	require.NoError(t, a.Ledger.Advance(ctx, conn, complete[0]))
	projectortest.AssertSameDump(t, want, p.Dump(t, conn, db))
}

// PromotionCutShortIsCompletedByTheRedelivery stops a promotion of
// snapshot 2 right after the state took it, before the counts were
// rewritten (a crash), then applies the batch again as the group
// redelivers it: the surface must be as if nothing had happened. It
// returns the surface, for the caller to check the rows snapshot 2
// changed.
func (p Promotion) PromotionCutShortIsCompletedByTheRedelivery(t *testing.T) projectortest.Dump {
	ctx := context.Background()
	story, want := p.goldenMain(t)
	conn, db := projectortest.Database(t)
	s := p.New(db)
	first, second := SplitAt(story.All(), 2)
	require.NoError(t, s.Apply(ctx, conn, first))

	require.NoError(t, s.Stage(ctx, conn, second))
	complete, err := s.Ledger.Record(ctx, conn, second)
	require.NoError(t, err)
	require.Len(t, complete, 1)
	require.NoError(t, s.PromoteState(ctx, conn, complete[0]))

	require.NoError(t, s.Apply(ctx, conn, second))
	got := p.Dump(t, conn, db)
	projectortest.AssertSameDump(t, want, got)
	return got
}
