package maintainers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
	"github.com/repodelta/repodelta/projections/maintainers"
)

// Figures of the corpus: bookworm's Maintainer fields as written in the
// index, as the producer parses them (name and e-mail, quotes and spacing
// dropped), and after normalisation (one maintainer per lower-cased
// e-mail).
const (
	bookwormRawMaintainers        = 2248
	bookwormParsedMaintainers     = 2240
	bookwormNormalisedMaintainers = 2116
)

// recomputed are the projection's figures recomputed by full GROUP BYs
// over its state table, next to the same columns read from the views.
var recomputed = []struct{ name, want, got string }{
	{
		name: "maintainers",
		want: `SELECT id AS maintainer_id,
				countIf(role = 1) AS num_packages, uniqExactIf(project, role = 1) AS num_projects, uniqExactIf(repository_id, role = 1) AS num_repos,
				countIf(role = 2) AS num_packages_uploader, uniqExactIf(project, role = 2) AS num_projects_uploader, uniqExactIf(repository_id, role = 2) AS num_repos_uploader
			FROM (` + stateEntries + `) GROUP BY id ORDER BY maintainer_id`,
		got: `SELECT maintainer_id, num_packages, num_projects, num_repos, num_packages_uploader, num_projects_uploader, num_repos_uploader
			FROM {{db}}.maintainers ORDER BY maintainer_id`,
	},
	{
		name: "maintainer_repositories",
		want: `SELECT id AS maintainer_id, repository_id,
				countIf(role = 1) AS num_packages, uniqExactIf(project, role = 1) AS num_projects,
				countIf(role = 2) AS num_packages_uploader, uniqExactIf(project, role = 2) AS num_projects_uploader
			FROM (` + stateEntries + `) GROUP BY id, repository_id ORDER BY maintainer_id, repository_id`,
		got: `SELECT maintainer_id, repository_id, num_packages, num_projects, num_packages_uploader, num_projects_uploader
			FROM {{db}}.maintainer_repositories ORDER BY maintainer_id, repository_id`,
	},
	{
		// The name most entries give, the smaller hash on a tie; an entry
		// without a name votes for the maintainer itself, with no weight.
		name: "names",
		want: `SELECT id AS maintainer_id, argMin(candidate, (-toInt64(votes), candidate)) AS name_hash
			FROM (SELECT id, if(name_id = 0, id, name_id) AS candidate, sum(name_id != 0) AS votes
				FROM (` + stateEntries + `) GROUP BY id, candidate)
			GROUP BY id ORDER BY maintainer_id`,
		got: `SELECT maintainer_id, cityHash64(name) AS name_hash FROM {{db}}.maintainers ORDER BY maintainer_id`,
	},
	{
		name: "ids",
		want: `SELECT DISTINCT id AS maintainer_id, id AS string_hash FROM (` + stateEntries + `) ORDER BY maintainer_id`,
		got:  `SELECT maintainer_id, cityHash64(maintainer) AS string_hash FROM {{db}}.maintainers ORDER BY maintainer_id`,
	},
}

// currentState is the newest state row of every package key.
const currentState = `SELECT repository_id, key, argMax(deleted, sequence) AS gone, argMax(project, sequence) AS current_project,
	argMax(maintainer_ids, sequence) AS ids, argMax(name_ids, sequence) AS names, argMax(roles, sequence) AS rs
	FROM {{db}}.maintainer_packages GROUP BY repository_id, key`

// stateEntries are the current people of every present package, one row
// per person and role.
const stateEntries = `SELECT repository_id, key, current_project AS project, id, name_id, role FROM (` + currentState + `)
	ARRAY JOIN ids AS id, names AS name_id, rs AS role WHERE gone = 0`

func TestCorpusCountsEqualARecomputation(t *testing.T) {
	s := stagedtest.Story(t)
	conn, db := projectortest.Database(t)
	p := maintainers.New(db)
	for i, st := range s.Steps {
		stagedtest.Apply(t, p, conn, st.Events)
		t.Run("after "+st.Name, func(t *testing.T) {
			assertStateHoldsEachSnapshot(t, conn, db, s.Steps[:i+1])
			assertSameAsRecomputed(t, conn, db)
			assertSameAsFromEvents(t, conn, db, stagedtest.PackagesAfter(s.Steps[:i+1]))
		})
	}
}

func TestBookwormMaintainerFacts(t *testing.T) {
	st := stagedtest.Story(t).Steps[0]
	require.Equal(t, "bookworm-1", st.Name)
	parsed, normalised := map[events.Person]bool{}, map[string]bool{}
	for _, e := range st.Events {
		if e.Package != nil {
			parsed[e.Package.Maintainer] = true
			m, _ := maintainers.Normalize(e.Package.Maintainer)
			normalised[m] = true
		}
	}
	raw := stagedtest.FieldValues(t, projectortest.Corpus("bookworm_main_amd64_Packages.xz"), "Maintainer")
	assert.Equal(t, bookwormRawMaintainers, len(raw), "distinct Maintainer fields as written")
	assert.Equal(t, bookwormParsedMaintainers, len(parsed), "distinct Maintainer fields as parsed")
	assert.Equal(t, bookwormNormalisedMaintainers, len(normalised), "distinct normalised maintainers")

	conn, db := projectortest.Database(t)
	stagedtest.Apply(t, maintainers.New(db), conn, st.Events)
	assert.Equal(t, uint64(bookwormNormalisedMaintainers), stagedtest.Count(t, conn, "SELECT count() FROM "+db+".maintainers"))
	assert.Equal(t, uint64(bookwormNormalisedMaintainers), stagedtest.Count(t, conn, "SELECT uniqExact(value) FROM "+db+
		".maintainer_strings WHERE id IN (SELECT maintainer_id FROM "+db+".maintainers)"), "each maintainer stored once")
	assert.Equal(t, uint64(stagedtest.PackageEvents(st.Events)), stagedtest.Count(t, conn, "SELECT sum(num_packages) FROM "+db+".maintainers"),
		"every bookworm package has a maintainer")
}

// assertStateHoldsEachSnapshot checks the state against the commit
// markers: as many present packages per repository as the last committed
// snapshot says.
func assertStateHoldsEachSnapshot(t *testing.T, conn driver.Conn, db string, steps []projectortest.Step) {
	want := map[string]uint64{}
	for _, st := range steps {
		for _, e := range st.Events {
			if e.Type == events.SnapshotCommitted && !st.Aborted {
				want[e.Repository.ID()] = uint64(e.Marker.Counts.Packages)
			}
		}
	}
	for repo, n := range want {
		query := strings.ReplaceAll("SELECT count() FROM ("+currentState+") WHERE gone = 0 AND repository_id = ?", "{{db}}", db)
		assert.Equal(t, n, stagedtest.Count(t, conn, query, repo), repo)
	}
}

func assertSameAsRecomputed(t *testing.T, conn driver.Conn, db string) {
	ctx := context.Background()
	for _, q := range recomputed {
		want, err := projectortest.DumpSurface(ctx, conn, db, []projectortest.Query{{Name: q.name, SQL: q.want}})
		require.NoError(t, err)
		got, err := projectortest.DumpSurface(ctx, conn, db, []projectortest.Query{{Name: q.name, SQL: q.got}})
		require.NoError(t, err)
		require.Greater(t, len(want[q.name]), 100, q.name)
		projectortest.AssertSameDump(t, want, got)
	}
}

// figures are one maintainer's counts, in a repository or in all.
type figures struct {
	Packages, Projects, Repos                         uint64
	UploaderPackages, UploaderProjects, UploaderRepos uint64
}

type inRepository struct {
	id   uint64
	repo string
}

// assertSameAsFromEvents recomputes the views from the events alone, in
// Go, and compares them row by row.
func assertSameAsFromEvents(t *testing.T, conn driver.Conn, db string, present map[string]map[string]consumers.Event) {
	want, wantRepo := fromEvents(present)
	got, gotRepo := map[uint64]figures{}, map[inRepository]figures{}
	scan(t, conn, "SELECT maintainer_id, num_packages, num_projects, num_repos, num_packages_uploader, num_projects_uploader, num_repos_uploader FROM "+db+".maintainers",
		func(rows driver.Rows) error {
			var (
				id uint64
				f  figures
			)
			err := rows.Scan(&id, &f.Packages, &f.Projects, &f.Repos, &f.UploaderPackages, &f.UploaderProjects, &f.UploaderRepos)
			got[id] = f
			return err
		})
	scan(t, conn, "SELECT maintainer_id, repository_id, num_packages, num_projects, num_packages_uploader, num_projects_uploader FROM "+db+".maintainer_repositories",
		func(rows driver.Rows) error {
			var (
				k inRepository
				f figures
			)
			err := rows.Scan(&k.id, &k.repo, &f.Packages, &f.Projects, &f.UploaderPackages, &f.UploaderProjects)
			gotRepo[k] = f
			return err
		})
	assert.Equal(t, len(want), len(got), "maintainers")
	for id, w := range want {
		assert.Equal(t, w, got[id], "maintainer %d", id)
	}
	assert.Equal(t, len(wantRepo), len(gotRepo), "maintainer_repositories")
	for k, w := range wantRepo {
		assert.Equal(t, w, gotRepo[k], "maintainer %d in %s", k.id, k.repo)
	}
}

func scan(t *testing.T, conn driver.Conn, query string, row func(driver.Rows) error) {
	rows, err := conn.Query(context.Background(), query)
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		require.NoError(t, row(rows))
	}
	require.NoError(t, rows.Err())
}

// fromEvents counts, per maintainer and per maintainer and repository,
// the packages present, their projects and repositories, by role.
func fromEvents(present map[string]map[string]consumers.Event) (map[uint64]figures, map[inRepository]figures) {
	type sets struct {
		packages        [2]int
		projects, repos [2]map[string]bool
		repoProjects    map[string]*[2]map[string]bool
		repoPackages    map[string]*[2]int
	}
	all := map[uint64]*sets{}
	get := func(id uint64) *sets {
		if all[id] == nil {
			all[id] = &sets{projects: [2]map[string]bool{{}, {}}, repos: [2]map[string]bool{{}, {}},
				repoProjects: map[string]*[2]map[string]bool{}, repoPackages: map[string]*[2]int{}}
		}
		return all[id]
	}
	for repo, pkgs := range present {
		for _, e := range pkgs {
			for _, pr := range people(e.Package) {
				s, r := get(pr.id), pr.role
				s.packages[r]++
				s.projects[r][e.Project] = true
				s.repos[r][repo] = true
				if s.repoProjects[repo] == nil {
					s.repoProjects[repo], s.repoPackages[repo] = &[2]map[string]bool{{}, {}}, &[2]int{}
				}
				s.repoProjects[repo][r][e.Project] = true
				s.repoPackages[repo][r]++
			}
		}
	}
	out, perRepo := map[uint64]figures{}, map[inRepository]figures{}
	for id, s := range all {
		out[id] = figures{uint64(s.packages[0]), uint64(len(s.projects[0])), uint64(len(s.repos[0])),
			uint64(s.packages[1]), uint64(len(s.projects[1])), uint64(len(s.repos[1]))}
		for repo, projects := range s.repoProjects {
			n := s.repoPackages[repo]
			perRepo[inRepository{id, repo}] = figures{Packages: uint64(n[0]), Projects: uint64(len(projects[0])),
				UploaderPackages: uint64(n[1]), UploaderProjects: uint64(len(projects[1]))}
		}
	}
	return out, perRepo
}

// role is a person of a package in the test's terms: 0 Maintainer, 1
// Uploader.
type role struct {
	id   uint64
	role int
}

// people lists the (maintainer, role) pairs of a package, each once.
func people(p *events.Package) []role {
	seen := map[role]bool{}
	var out []role
	add := func(ps events.Person, r int) {
		if m, _ := maintainers.Normalize(ps); m != "" && !seen[role{maintainers.ID(m), r}] {
			seen[role{maintainers.ID(m), r}] = true
			out = append(out, role{maintainers.ID(m), r})
		}
	}
	add(p.Maintainer, 0)
	for _, u := range p.Uploaders {
		add(u, 1)
	}
	return out
}
