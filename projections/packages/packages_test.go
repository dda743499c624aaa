package packages_test

import (
	"context"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/packages"
)

func count(t *testing.T, conn driver.Conn, query string, args ...any) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

// commitCounts returns the counts the commit marker of a step states.
func commitCounts(t *testing.T, st projectortest.Step) events.Counts {
	t.Helper()
	for _, e := range st.Events {
		if e.Type == events.SnapshotCommitted {
			return e.Marker.Counts
		}
	}
	t.Fatalf("step %s has no commit marker", st.Name)
	return events.Counts{}
}

func TestPackagesMatchEachCommittedSnapshotsCounts(t *testing.T) {
	ctx := context.Background()
	golden, err := projectortest.GoldenStory(ctx)
	require.NoError(t, err)
	corpus, err := projectortest.CorpusStory(ctx, 3, 0.02)
	require.NoError(t, err)
	for _, story := range []*projectortest.Story{golden, corpus} {
		conn, db := projectortest.Database(t)
		p := packages.New(db)
		visible := map[string]events.Counts{}
		for _, st := range story.Steps {
			for _, b := range projectortest.Batches(st.Events, 400) {
				require.NoError(t, p.Apply(ctx, conn, b))
			}
			if !st.Aborted {
				visible[st.Repository.ID()] = commitCounts(t, st)
			}
			for repo, counts := range visible {
				assert.Equal(t, uint64(counts.Packages), count(t, conn, "SELECT count() FROM "+db+".packages WHERE repository_id = ?", repo),
					"packages of %s after step %s", repo, st.Name)
			}
		}
		assert.Zero(t, count(t, conn, "SELECT count() FROM "+db+".packages_pending"), "staged rows left over")
	}
}

func TestPromotionWritesOneBlockPerSnapshot(t *testing.T) {
	ctx := context.Background()
	corpus, err := projectortest.CorpusStory(ctx, 5, 0)
	require.NoError(t, err)
	conn, db := projectortest.Database(t)
	for _, table := range []string{"packages_current", "package_history_current"} {
		require.NoError(t, conn.Exec(ctx, "SYSTEM STOP MERGES "+db+"."+table))
	}
	p := packages.New(db)
	for _, st := range corpus.Steps[:2] {
		for _, b := range projectortest.Batches(st.Events, 300) {
			require.NoError(t, p.Apply(ctx, conn, b))
		}
	}
	c := commitCounts(t, corpus.Steps[1])
	for _, table := range []string{"packages_current", "package_history_current"} {
		parts := count(t, conn, "SELECT count() FROM system.parts WHERE database = ? AND table = ? AND active", db, table)
		newest := count(t, conn, "SELECT argMax(rows, min_block_number) FROM system.parts WHERE database = ? AND table = ? AND active", db, table)
		assert.Equal(t, uint64(2), parts, "%s: one part per snapshot", table)
		assert.Equal(t, uint64(c.Events()), newest, "%s: the second snapshot's part holds all its events", table)
	}
}

func TestNameIsTheConsumerGroup(t *testing.T) {
	tests := []struct {
		name       string
		projection consumers.Projection
		group      string
	}{
		{"the live projection", packages.New("db"), "repodelta-packages"},
		{"a rebuild under another name", packages.NewNamed("shadow", "packages-rebuild"), "repodelta-packages-rebuild"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.group, consumers.Group(tt.projection.Name()))
		})
	}
}
