package projects

import (
	"context"
	"errors"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
)

// TestAPromotionRetriedAfterACrashConverges stops the promotion of the
// hand-made story's last snapshot at each point a crash could stop it,
// then applies its batch again, as the projector does with a batch it did
// not commit: the views end as if nothing had happened.
func TestAPromotionRetriedAfterACrashConverges(t *testing.T) {
	ctx := context.Background()
	story := StatusStory(t)
	last := story.Steps[len(story.Steps)-1].Events
	apply := func(p *Projection, conn driver.Conn, evs []consumers.Event) {
		for _, b := range projectortest.Batches(evs, 7) {
			require.NoError(t, p.Apply(ctx, conn, b))
		}
	}
	conn, db := projectortest.Database(t)
	apply(New(db), conn, story.All())
	want, err := projectortest.DumpSurface(ctx, conn, db, Surface)
	require.NoError(t, err)

	prepared := func(p *Projection, conn driver.Conn, s consumers.Snapshot, write func(d *delta) error) error {
		d, err := p.prepare(ctx, conn, s)
		if err != nil {
			return err
		}
		return write(d)
	}
	tests := []struct {
		name  string
		crash func(p *Projection, conn driver.Conn, s consumers.Snapshot) error
	}{
		{"after the state was written", func(p *Projection, conn driver.Conn, s consumers.Snapshot) error {
			return prepared(p, conn, s, func(d *delta) error { return p.writeState(ctx, conn, s, d.changes, d.moved) })
		}},
		{"after the totals and history were written", func(p *Projection, conn driver.Conn, s consumers.Snapshot) error {
			return prepared(p, conn, s, func(d *delta) error {
				return errors.Join(p.insertRepositories(ctx, conn, d.repositories), p.insertStatistics(ctx, conn, d.statistics),
					p.insertHistory(ctx, conn, s, d.history))
			})
		}},
		{"after the projects' rows and the state were written", func(p *Projection, conn driver.Conn, s consumers.Snapshot) error {
			return prepared(p, conn, s, func(d *delta) error {
				return errors.Join(p.insertProjects(ctx, conn, d.generation, d.projects), p.insertRepos(ctx, conn, d.generation, d.repos),
					p.insertStatuses(ctx, conn, d.generation, d.statuses), p.writeState(ctx, conn, s, d.changes, d.moved))
			})
		}},
		{"after every row was written, before the watermarks moved", func(p *Projection, conn driver.Conn, s consumers.Snapshot) error {
			return p.promote(ctx, conn, s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, db := projectortest.Database(t)
			p := New(db)
			for _, st := range story.Steps[:len(story.Steps)-1] {
				apply(p, conn, st.Events)
			}
			require.NoError(t, p.stage(ctx, conn, last))
			complete, err := p.ledger.Record(ctx, conn, last)
			require.NoError(t, err)
			require.Len(t, complete, 1)
			require.NoError(t, tt.crash(p, conn, complete[0]))

			require.NoError(t, p.Apply(ctx, conn, last))
			got, err := projectortest.DumpSurface(ctx, conn, db, Surface)
			require.NoError(t, err)
			projectortest.AssertSameDump(t, want, got)
		})
	}
}
