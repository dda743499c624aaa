package projects_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/projects"
)

// The corpus repositories: bookworm and trixie, both of family debian.
var (
	bookworm = events.Repository{Name: "bookworm", Family: "debian", Distribution: "debian", Release: "bookworm", Component: "main", Architecture: "amd64"}
	trixie   = events.Repository{Name: "trixie", Family: "debian", Distribution: "debian", Release: "trixie", Component: "main", Architecture: "amd64"}
)

// releaseStory is the story, told once per test binary: bookworm
// and trixie as two repositories, then bookworm moved to bookworm-point.
var releaseStory = sync.OnceValues(func() (*projectortest.Story, error) {
	return projectortest.Tell(context.Background(), 4, 3, []projectortest.Take{
		{Name: "bookworm-1", Repository: bookworm, Sequence: 1, Index: projectortest.Corpus("bookworm_main_amd64_Packages.xz")},
		{Name: "trixie-1", Repository: trixie, Sequence: 1, Index: projectortest.Corpus("trixie_main_amd64_Packages.xz")},
		{Name: "bookworm-2", Repository: bookworm, Sequence: 2, After: "bookworm-1",
			Index: projectortest.Corpus("bookworm-point_main_amd64_Packages.xz")},
	})
})

func story(tb testing.TB) *projectortest.Story {
	tb.Helper()
	s, err := releaseStory()
	require.NoError(tb, err)
	return s
}

// applyAll applies events in batches of size, as a projector would.
func applyAll(tb testing.TB, p *projects.Projection, conn driver.Conn, evs []consumers.Event, size int) {
	tb.Helper()
	for _, b := range projectortest.Batches(evs, size) {
		require.NoError(tb, p.Apply(context.Background(), conn, b))
	}
}

func queryUint(tb testing.TB, conn driver.Conn, query string, args ...any) uint64 {
	tb.Helper()
	var n uint64
	require.NoError(tb, conn.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}
