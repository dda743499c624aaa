package packages

import (
	"context"
	"fmt"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
)

func count(t *testing.T, conn driver.Conn, query string) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(), query).Scan(&n))
	return n
}

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
	assert.Equal(t, uint64(5*6), count(t, conn, "SELECT count() FROM "+db+".packages"))
	assert.Equal(t, uint64(5), count(t, conn, "SELECT count() FROM "+db+".projector_watermarks WHERE sequence = 1"))
	assert.Zero(t, count(t, conn, "SELECT count() FROM "+db+".packages_pending"))
}
