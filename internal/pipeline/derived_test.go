package pipeline_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/projections/links"
	"github.com/repodelta/repodelta/projections/maintainers"
	"github.com/repodelta/repodelta/projections/projects"
)

// twoReleases is bookworm (from bookwormSource) and trixie, both of family
// debian.
func (e *env) twoReleases(bookwormSource string) *config.Config {
	cfg := e.config(bookwormSource)
	cfg.Repositories = append(cfg.Repositories, config.Repository{
		Name: "trixie", Family: "debian", Distribution: "debian", Format: "debian",
		Release: "trixie", Component: "main", Architecture: "amd64", Source: corpus("trixie_main_amd64_Packages.xz"),
	})
	return cfg
}

func (e *env) runConfig(t *testing.T, cfg *config.Config) {
	t.Helper()
	var s pipeline.Services
	defer s.Close()
	require.NoError(t, pipeline.Run(context.Background(), e.opts, &s, cfg, pipeline.RunOptions{Once: true}))
}

// row is one package of the packages view, as the recomputations need it.
type row struct {
	repository, repositoryID, family, key, project, version string
	maintainer                                              events.Person
	links                                                   []events.Link
}

func (e *env) packageRows(t *testing.T) []row {
	t.Helper()
	rows, err := e.conn.Query(context.Background(), "SELECT repository, repository_id, family, key, project, version, "+
		"maintainer_name, maintainer_email, homepage, vcs_kinds, vcs_urls FROM "+e.opts.Database+".packages")
	require.NoError(t, err)
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		var homepage string
		var kinds, urls []string
		require.NoError(t, rows.Scan(&r.repository, &r.repositoryID, &r.family, &r.key, &r.project, &r.version,
			&r.maintainer.Name, &r.maintainer.Email, &homepage, &kinds, &urls))
		if homepage != "" {
			r.links = append(r.links, events.Link{Kind: events.LinkHomepage, URL: homepage})
		}
		for i := range kinds {
			r.links = append(r.links, events.Link{Kind: kinds[i], URL: urls[i]})
		}
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

// tally counts packages, and the distinct projects and repositories among
// them.
type tally struct {
	packages uint64
	projects map[string]bool
	repos    map[string]bool
}

func (c *tally) add(r row) {
	if c.projects == nil {
		c.projects, c.repos = map[string]bool{}, map[string]bool{}
	}
	c.packages++
	c.projects[r.project] = true
	c.repos[r.repository] = true
}

func (c *tally) String() string {
	return fmt.Sprintf("%d packages, %d projects, %d repos", c.packages, len(c.projects), len(c.repos))
}

// dump reads a query's rows as "col1|col2|…" strings keyed by the first
// column.
func (e *env) dump(t *testing.T, query string) map[string]string {
	t.Helper()
	rows, err := e.conn.Query(context.Background(), strings.ReplaceAll(query, "{{db}}", e.opts.Database))
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		require.NoError(t, rows.Scan(&k, &v))
		out[k] = v
	}
	require.NoError(t, rows.Err())
	return out
}

func TestDerivedTablesEqualARecomputationFromPackages(t *testing.T) {
	e := newEnv(t)
	e.runConfig(t, e.twoReleases(corpus("bookworm_main_amd64_Packages.xz")))
	newestBefore := e.dump(t, "SELECT project, newest_version FROM {{db}}.projects")
	e.runConfig(t, e.twoReleases(corpus("bookworm-point_main_amd64_Packages.xz")))

	pkgs := e.packageRows(t)
	require.Len(t, pkgs, 63666+68825)

	t.Run("projects, statuses and repositories", func(t *testing.T) {
		byProject := map[string][]row{}
		for _, r := range pkgs {
			byProject[r.project] = append(byProject[r.project], r)
		}
		wantProjects := map[string]string{}
		wantStatus := map[string]string{}
		perRepo := map[string]map[projects.Status]int{}
		for name, members := range byProject {
			ms := make([]projects.Member, len(members))
			repos, families := map[string]bool{}, map[string]bool{}
			for i, r := range members {
				ms[i] = projects.Member{RepositoryID: r.repositoryID, Family: r.family, Version: r.version}
				repos[r.repository], families[r.family] = true, true
			}
			v := projects.Classify(ms)
			wantProjects[name] = fmt.Sprintf("%d|%d|%d|%s", len(repos), len(families), len(members), v.Newest)
			for i, r := range members {
				wantStatus[r.repositoryID+" "+r.key] = string(v.Statuses[i])
				if perRepo[r.repository] == nil {
					perRepo[r.repository] = map[projects.Status]int{}
				}
				perRepo[r.repository][v.Statuses[i]]++
			}
		}
		got := e.dump(t, "SELECT project, concat(toString(num_repos), '|', toString(num_families), '|', toString(num_packages), '|', newest_version) FROM {{db}}.projects")
		assert.Equal(t, len(wantProjects), len(got))
		assertSameMaps(t, wantProjects, got, "projects")
		gotStatus := e.dump(t, "SELECT concat(repository_id, ' ', key), status FROM {{db}}.package_statuses")
		assertSameMaps(t, wantStatus, gotStatus, "package_statuses")
		gotRepos := e.dump(t, "SELECT repository, concat(toString(num_newest), '|', toString(num_outdated), '|', toString(num_legacy), '|', "+
			"toString(num_devel), '|', toString(num_unique), '|', toString(num_ignored)) FROM {{db}}.repositories")
		for repo, st := range perRepo {
			want := fmt.Sprintf("%d|%d|%d|%d|%d|%d", st[projects.Newest], st[projects.Outdated], st[projects.Legacy], st[projects.Devel], st[projects.Unique], st[projects.Ignored])
			assert.Equal(t, want, gotRepos[repo], "statuses of %s", repo)
		}
	})

	t.Run("repositories count what packages holds", func(t *testing.T) {
		want := e.dump(t, `SELECT repository, concat(toString(count()), '|', toString(uniqExact(project)))
			FROM {{db}}.packages GROUP BY repository`)
		got := e.dump(t, "SELECT repository, concat(toString(num_packages), '|', toString(num_projects)) FROM {{db}}.repositories")
		assert.Equal(t, want, got)
		assert.Equal(t, "63666|34172", got["bookworm"])
	})

	t.Run("maintainers", func(t *testing.T) {
		want := map[string]*tally{}
		for _, r := range pkgs {
			m, _ := maintainers.Normalize(r.maintainer)
			if want[m] == nil {
				want[m] = &tally{}
			}
			want[m].add(r)
		}
		got := e.dump(t, "SELECT maintainer, concat(toString(num_packages), ' packages, ', toString(num_projects), ' projects, ', toString(num_repos), ' repos') FROM {{db}}.maintainers WHERE num_packages > 0")
		assertSameMaps(t, stringsOf(want), got, "maintainers")
	})

	t.Run("links", func(t *testing.T) {
		want := map[string]*tally{}
		for _, r := range pkgs {
			seen := map[string]bool{}
			for _, l := range r.links {
				k := l.Kind + " " + links.NormalizeURL(l.URL)
				if seen[k] {
					continue
				}
				seen[k] = true
				if want[k] == nil {
					want[k] = &tally{}
				}
				want[k].add(r)
			}
		}
		got := e.dump(t, "SELECT concat(kind, ' ', url), concat(toString(num_packages), ' packages, ', toString(num_projects), ' projects, ', toString(num_repos), ' repos') FROM {{db}}.links WHERE num_packages > 0")
		assertSameMaps(t, stringsOf(want), got, "links")
	})

	t.Run("project history holds the point release's newest-version changes", func(t *testing.T) {
		after := e.dump(t, "SELECT project, newest_version FROM {{db}}.projects")
		want := map[string]string{}
		for p, old := range newestBefore {
			if now, ok := after[p]; ok && old != "" && now != "" && old != now {
				want[p] = old + " -> " + now
			}
		}
		got := e.dump(t, `SELECT project, concat(old_version, ' -> ', new_version) FROM {{db}}.project_history
			WHERE event = 'newest_changed' AND snapshot_repository = 'bookworm' AND sequence = 2 AND old_version != '' AND new_version != ''`)
		assert.NotEmpty(t, want)
		assertSameMaps(t, want, got, "project_history")
	})

	t.Run("the same snapshot again changes nothing", func(t *testing.T) {
		queries := map[string]string{
			"projects":    "SELECT project, concat(toString(num_packages), newest_version, toString(last_changed)) FROM {{db}}.projects",
			"maintainers": "SELECT maintainer, toString(num_packages) FROM {{db}}.maintainers",
			"links":       "SELECT concat(kind, url), toString(num_packages) FROM {{db}}.links",
			"history":     "SELECT concat(project, toString(event), repository, toString(sequence)), new_version FROM {{db}}.project_history",
		}
		before := map[string]map[string]string{}
		for name, q := range queries {
			before[name] = e.dump(t, q)
		}
		e.runConfig(t, e.twoReleases(corpus("bookworm-point_main_amd64_Packages.xz")))
		for name, q := range queries {
			assert.Equal(t, before[name], e.dump(t, q), name)
		}
	})
}

func stringsOf(m map[string]*tally) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v.String()
	}
	return out
}

// assertSameMaps compares two large maps and reports a few differences
// rather than both maps whole.
func assertSameMaps(t *testing.T, want, got map[string]string, what string) {
	t.Helper()
	var diffs []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			diffs = append(diffs, fmt.Sprintf("%s: want %q, got %q", k, w, g))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected %q", k, g))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s: %d of %d rows differ, e.g.:\n%s", what, len(diffs), len(want), strings.Join(diffs[:min(len(diffs), 10)], "\n"))
	}
}
