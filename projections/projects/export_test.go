package projects

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
)

// Surface is the projection's query surface, each query ordering its rows
// completely.
var Surface = []projectortest.Query{
	{Name: "projects", SQL: "SELECT * FROM {{db}}.projects ORDER BY project"},
	{Name: "project_repositories", SQL: "SELECT * FROM {{db}}.project_repositories ORDER BY project, repository_id"},
	{Name: "package_statuses", SQL: "SELECT * FROM {{db}}.package_statuses ORDER BY project, repository_id, key"},
	{Name: "repositories", SQL: "SELECT * FROM {{db}}.repositories ORDER BY repository_id"},
	{Name: "statistics", SQL: "SELECT * FROM {{db}}.statistics"},
	{Name: "statistics_history", SQL: "SELECT * FROM {{db}}.statistics_history ORDER BY repository_id, sequence"},
	{Name: "project_history", SQL: "SELECT * FROM {{db}}.project_history" +
		" ORDER BY snapshot_repository_id, sequence, project, repository_id, event"},
	{Name: "watermarks", SQL: "SELECT projector, repository, sequence FROM {{db}}.projector_watermarks ORDER BY projector, repository"},
}

// The repositories of the hand-made story: two of family debian, one of
// family ubuntu.
var (
	Stable  = events.Repository{Name: "stable", Family: "debian", Distribution: "debian", Release: "bookworm", Component: "main", Architecture: "amd64"}
	Testing = events.Repository{Name: "testing", Family: "debian", Distribution: "debian", Release: "trixie", Component: "main", Architecture: "amd64"}
	Ubuntu  = events.Repository{Name: "ubuntu", Family: "ubuntu", Distribution: "ubuntu", Release: "noble", Component: "main", Architecture: "amd64"}
)

// StatusData returns the path of a file of testdata/statuses.
func StatusData(name string) string { return filepath.Join("testdata", "statuses", name) }

// StatusStory is the hand-made story of testdata/statuses: stable,
// testing and ubuntu, then a second snapshot of stable that updates foo,
// drops libfoo-old and moves the package movable from project oldsrc to
// project newsrc.
func StatusStory(tb testing.TB) *projectortest.Story {
	tb.Helper()
	story, err := projectortest.Tell(context.Background(), 3, 5, []projectortest.Take{
		{Name: "stable-1", Repository: Stable, Sequence: 1, Index: StatusData("stable-1.Packages")},
		{Name: "testing-1", Repository: Testing, Sequence: 1, Index: StatusData("testing-1.Packages")},
		{Name: "ubuntu-1", Repository: Ubuntu, Sequence: 1, Index: StatusData("ubuntu-1.Packages")},
		{Name: "stable-2", Repository: Stable, Sequence: 2, After: "stable-1", Index: StatusData("stable-2.Packages")},
	})
	require.NoError(tb, err)
	return story
}
