package projects_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/projects"
	"github.com/repodelta/repodelta/projections/versions"
)

// recount pairs each query of the surface with an independent
// recomputation: SQL aggregates over the projection's own state
// (projects_state, read with FINAL) and over package_statuses. Both sides
// of a pair return the same columns in the same order.
var recount = []struct{ name, got, want string }{
	{"repository totals",
		"SELECT repository_id, num_packages, num_projects, num_maintainers FROM {{db}}.repositories ORDER BY repository_id",
		"SELECT repository_id, count(), uniqExact(project), uniqExactIf(maintainer, maintainer != '')" +
			" FROM {{db}}.projects_state FINAL WHERE deleted = 0 GROUP BY repository_id ORDER BY repository_id"},
	{"repository statuses",
		"SELECT repository_id, num_newest, num_outdated, num_legacy, num_devel, num_unique, num_ignored, num_outdated_projects" +
			" FROM {{db}}.repositories ORDER BY repository_id",
		"SELECT repository_id" + statusCounts + ", uniqExactIf(project, status = 'outdated')" +
			" FROM {{db}}.package_statuses GROUP BY repository_id ORDER BY repository_id"},
	{"project totals",
		"SELECT project, num_repos, num_families, num_packages, repositories, maintainers FROM {{db}}.projects ORDER BY project",
		"SELECT project, uniqExact(repository_id), uniqExact(family), count(), arraySort(groupUniqArray(repository))," +
			" arraySort(groupUniqArrayIf(maintainer, maintainer != '')) FROM {{db}}.projects_state FINAL WHERE deleted = 0" +
			" GROUP BY project ORDER BY project"},
	{"project statuses",
		"SELECT project, num_newest, num_outdated, num_legacy, num_devel, num_unique, num_ignored FROM {{db}}.projects ORDER BY project",
		"SELECT project" + statusCounts + " FROM {{db}}.package_statuses GROUP BY project ORDER BY project"},
	{"project repositories",
		"SELECT project, repository_id, num_packages, maintainers FROM {{db}}.project_repositories ORDER BY project, repository_id",
		"SELECT project, repository_id, count(), arraySort(groupUniqArrayIf(maintainer, maintainer != ''))" +
			" FROM {{db}}.projects_state FINAL WHERE deleted = 0 GROUP BY project, repository_id ORDER BY project, repository_id"},
	{"project repository statuses",
		"SELECT project, repository_id, num_newest, num_outdated, num_legacy, num_devel, num_unique, num_ignored" +
			" FROM {{db}}.project_repositories ORDER BY project, repository_id",
		"SELECT project, repository_id" + statusCounts + " FROM {{db}}.package_statuses" +
			" GROUP BY project, repository_id ORDER BY project, repository_id"},
	{"statistics",
		"SELECT num_repositories, num_families, num_projects, num_packages, num_maintainers, num_unique_projects FROM {{db}}.statistics",
		"SELECT uniqExact(repository_id), uniqExact(family), uniqExact(project), count(), uniqExactIf(maintainer, maintainer != '')," +
			" (SELECT count() FROM (SELECT project FROM {{db}}.projects_state FINAL WHERE deleted = 0 GROUP BY project" +
			" HAVING uniqExact(family) = 1)) FROM {{db}}.projects_state FINAL WHERE deleted = 0"},
	{"statistics statuses",
		"SELECT num_newest, num_outdated, num_legacy, num_devel, num_unique, num_ignored, num_outdated_projects FROM {{db}}.statistics",
		"SELECT " + strings.TrimPrefix(statusCounts, ", ") + ", uniqExactIf(project, status = 'outdated') FROM {{db}}.package_statuses"},
	{"package statuses cover the state",
		"SELECT project, repository_id, key, name, version FROM {{db}}.package_statuses ORDER BY project, repository_id, key",
		"SELECT project, repository_id, key, name, version FROM {{db}}.projects_state FINAL WHERE deleted = 0" +
			" ORDER BY project, repository_id, key"},
	// Only a repository's own snapshots change these; statuses also change
	// with other repositories' snapshots, which add no row to its history.
	{"statistics history ends at the repositories",
		"SELECT repository_id, last_sequence, num_packages, num_projects, num_maintainers" +
			" FROM {{db}}.repositories ORDER BY repository_id",
		"SELECT repository_id, sequence, num_packages, num_projects, num_maintainers" +
			" FROM {{db}}.statistics_history WHERE (repository_id, sequence) IN" +
			" (SELECT repository_id, max(sequence) FROM {{db}}.statistics_history GROUP BY repository_id) ORDER BY repository_id"},
}

const statusCounts = ", countIf(status = 'newest'), countIf(status = 'outdated'), countIf(status = 'legacy')," +
	" countIf(status = 'devel'), countIf(status = 'unique'), countIf(status = 'ignored')"

// assertRecounted checks every surface table against its recomputation.
func assertRecounted(t *testing.T, conn driver.Conn, db string) {
	t.Helper()
	for _, q := range recount {
		d, err := projectortest.DumpSurface(context.Background(), conn, db, []projectortest.Query{{Name: "got", SQL: q.got}, {Name: "want", SQL: q.want}})
		require.NoError(t, err, q.name)
		assert.Equal(t, dataLines(d["want"]), dataLines(d["got"]), q.name)
	}
	assertClassified(t, conn, db)
}

// dataLines drops a dump's header line: the two sides name columns
// differently.
func dataLines(dump string) string {
	_, rows, _ := strings.Cut(dump, "\n")
	return rows
}

// assertClassified recomputes every status, newest, devel and best
// version from the whole state at once — projects.Classify over every
// project — and compares with package_statuses, projects and
// project_repositories: the incremental path recomputes only the projects
// each snapshot touched.
func assertClassified(t *testing.T, conn driver.Conn, db string) {
	t.Helper()
	type member struct {
		projects.Member
		key, repository string
	}
	byProject := map[string][]member{}
	scan(t, conn, "SELECT project, repository_id, key, family, version FROM "+db+".projects_state FINAL WHERE deleted = 0",
		func(rows driver.Rows) {
			var (
				project string
				m       member
			)
			require.NoError(t, rows.Scan(&project, &m.RepositoryID, &m.key, &m.Family, &m.Version))
			byProject[project] = append(byProject[project], m)
		})
	wantStatuses, wantProjects, wantBest := map[string]string{}, map[string]string{}, map[string]string{}
	for project, ms := range byProject {
		in := make([]projects.Member, len(ms))
		for i, m := range ms {
			in[i] = m.Member
		}
		v := projects.Classify(in)
		wantProjects[project] = v.Newest + " " + v.Devel
		best := map[string]int{}
		for i, m := range ms {
			wantStatuses[project+" "+m.RepositoryID+" "+m.key] = v.Normalized[i] + " " + string(v.Statuses[i])
			if b, ok := best[m.RepositoryID]; v.Statuses[i] != projects.Ignored && (!ok || above(in[i], in[b], v.Normalized[i], v.Normalized[b])) {
				best[m.RepositoryID] = i
			}
		}
		for repo := range best {
			wantBest[project+" "+repo] = v.Normalized[best[repo]]
		}
	}
	assertSameMap(t, wantStatuses, pairs(t, conn, "SELECT concat(project, ' ', repository_id, ' ', key),"+
		" concat(normalized_version, ' ', toString(status)) FROM "+db+".package_statuses"), "package_statuses")
	assertSameMap(t, wantProjects, pairs(t, conn, "SELECT project, concat(newest_version, ' ', devel_version) FROM "+db+".projects"), "projects")
	assertSameMap(t, wantBest, pairs(t, conn, "SELECT concat(project, ' ', repository_id), best_version FROM "+db+
		".project_repositories WHERE num_packages > num_ignored"), "best versions")
}

// above orders two members' normalised versions as the projection does.
func above(a, b projects.Member, na, nb string) bool {
	if c := versions.CompareFlags(na, nb, versions.FamilyFlags(a.Family), versions.FamilyFlags(b.Family)); c != 0 {
		return c > 0
	}
	return na > nb
}

func assertSameMap(t *testing.T, want, got map[string]string, what string) {
	t.Helper()
	assert.Equal(t, len(want), len(got), "%s: rows", what)
	wrong := 0
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			if wrong++; wrong <= 10 {
				t.Errorf("%s: %s is %q, want %q", what, k, got[k], want[k])
			}
		}
	}
	assert.Zero(t, wrong, "%s: rows that differ", what)
}

func pairs(t *testing.T, conn driver.Conn, query string) map[string]string {
	t.Helper()
	out := map[string]string{}
	scan(t, conn, query, func(rows driver.Rows) {
		var k, v string
		require.NoError(t, rows.Scan(&k, &v))
		out[k] = v
	})
	return out
}

func scan(t *testing.T, conn driver.Conn, query string, row func(driver.Rows)) {
	t.Helper()
	rows, err := conn.Query(context.Background(), query)
	require.NoError(t, err, query)
	defer rows.Close()
	for rows.Next() {
		row(rows)
	}
	require.NoError(t, rows.Err())
}

// lines returns a query's rows as sorted "a|b|c" lines; every column must
// be a String.
func lines(t *testing.T, conn driver.Conn, query string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), query, args...)
	require.NoError(t, err, query)
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals := make([]string, len(rows.Columns()))
		dest := make([]any, len(vals))
		for i := range vals {
			dest[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(dest...))
		out = append(out, strings.Join(vals, "|"))
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}
