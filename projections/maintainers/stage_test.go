package maintainers

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
)

func TestStagingSplitsABatchSpanningMoreSnapshotsThanAnInsertMayHold(t *testing.T) {
	ctx := context.Background()
	var takes []projectortest.Take
	for i := range 5 {
		repo := projectortest.GoldenMain
		repo.Release = fmt.Sprintf("release%d", i)
		takes = append(takes, projectortest.Take{Name: repo.Release, Repository: repo, Sequence: 1, Index: projectortest.Testdata("main-1.Packages")})
	}
	story, err := projectortest.Tell(ctx, 2, 9, takes)
	require.NoError(t, err)
	conn, db := projectortest.Database(t)
	p := New(db)
	p.maxParts = 2

	require.NoError(t, p.Apply(ctx, conn, story.All()))
	count := func(query string) uint64 {
		var n uint64
		require.NoError(t, conn.QueryRow(ctx, query).Scan(&n))
		return n
	}
	assert.Equal(t, uint64(5), count("SELECT count() FROM "+db+".projector_watermarks WHERE sequence = 1"))
	assert.Equal(t, uint64(5*5), count("SELECT count() FROM "+db+".maintainer_repositories"), "five maintainers in each of five repositories")
	assert.Equal(t, uint64(5), count("SELECT min(num_repos) FROM "+db+".maintainers"))
	assert.Zero(t, count("SELECT count() FROM "+db+".maintainers_pending"), "promoted and dropped")
}
