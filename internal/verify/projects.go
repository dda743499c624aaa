package verify

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/projections/projects"
	"github.com/repodelta/repodelta/projections/versions"
)

// The projects projection: every surface table but the histories is
// recomputed from projects_state, the projection's own copy of the
// packages, read in project order and classified one project at a time
// with projects.Classify.

// member is one package of projects_state.
type member struct {
	project, repositoryID, key, repository, family, name, version, maintainer string
}

// project is one project's packages and their classification.
type project struct {
	name    string
	members []member
	verdict projects.Verdict
}

const stateQuery = `SELECT project, repository_id, key, repository, family, name, version, maintainer
FROM {{db}}.projects_state FINAL WHERE deleted = 0 ORDER BY project, repository_id, key`

// eachProject calls fn with every project of projects_state, classified:
// only one project's packages are held at a time.
func eachProject(ctx context.Context, conn driver.Conn, db string, fn func(*project) error) error {
	var cur *project
	flush := func() error {
		if cur == nil {
			return nil
		}
		in := make([]projects.Member, len(cur.members))
		for i, m := range cur.members {
			in[i] = projects.Member{RepositoryID: m.repositoryID, Family: m.family, Version: m.version}
		}
		cur.verdict = projects.Classify(in)
		return fn(cur)
	}
	err := scan(ctx, conn, sql(stateQuery, db), func(c []any) error {
		m := member{c[0].(string), c[1].(string), c[2].(string), c[3].(string), c[4].(string), c[5].(string), c[6].(string), c[7].(string)}
		if cur != nil && cur.name == m.project {
			cur.members = append(cur.members, m)
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		cur = &project{name: m.project, members: []member{m}}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// statusCounts are packages per status, in the order of projects.Statuses.
type statusCounts [6]uint64

func (c *statusCounts) add(s projects.Status) { c[slices.Index(projects.Statuses, s)]++ }

func (c statusCounts) outdated() bool {
	return c[slices.Index(projects.Statuses, projects.Outdated)] > 0
}

func (c statusCounts) cells() []any {
	out := make([]any, len(c))
	for i, n := range c {
		out[i] = n
	}
	return out
}

// repoPart is a project's packages in one repository.
type repoPart struct {
	repositoryID, repository, family string
	packages                         uint64
	counts                           statusCounts
	best                             string
	maintainers                      map[string]bool
}

// parts aggregates a project per repository, in repository id order.
func (p *project) parts() []*repoPart {
	by := map[string]*repoPart{}
	for i, m := range p.members {
		r := by[m.repositoryID]
		if r == nil {
			r = &repoPart{repositoryID: m.repositoryID, repository: m.repository, family: m.family, maintainers: map[string]bool{}}
			by[m.repositoryID] = r
		}
		r.packages++
		st := p.verdict.Statuses[i]
		r.counts.add(st)
		if n := p.verdict.Normalized[i]; st != projects.Ignored && (r.best == "" || above(n, r.best, m.family)) {
			r.best = n
		}
		if m.maintainer != "" {
			r.maintainers[m.maintainer] = true
		}
	}
	out := make([]*repoPart, 0, len(by))
	for _, id := range slices.Sorted(maps.Keys(by)) {
		out = append(out, by[id])
	}
	return out
}

// above orders normalised versions of one family totally: by comparison,
// then by text (as projects.Classify does).
func above(a, b, family string) bool {
	f := versions.FamilyFlags(family)
	if c := versions.CompareFlags(a, b, f, f); c != 0 {
		return c > 0
	}
	return a > b
}

// whole is a project's row over every repository.
type whole struct {
	families                  map[string]bool
	repositories, maintainers []string
	counts                    statusCounts
}

func (p *project) whole() whole {
	w := whole{families: map[string]bool{}}
	names, people := map[string]bool{}, map[string]bool{}
	for i, m := range p.members {
		w.families[m.family], names[m.repository] = true, true
		if m.maintainer != "" {
			people[m.maintainer] = true
		}
		w.counts.add(p.verdict.Statuses[i])
	}
	w.repositories, w.maintainers = slices.Sorted(maps.Keys(names)), slices.Sorted(maps.Keys(people))
	return w
}

var epoch = time.Unix(0, 0).UTC()

func projectChecks() []*Check {
	statuses := &Check{
		Name: "package_statuses", Projector: "projects", Table: "package_statuses_current",
		Columns: []string{"project", "repository_id", "key", "generation", "deleted", "repository", "family", "name",
			"version", "normalized_version", "status"},
		Key: []string{"project", "repository_id", "key"}, Group: "repository_id", Version: "generation",
		Want: perProject(func(p *project, fn func(Row) error) error {
			for i, m := range p.members {
				row := []any{m.project, m.repositoryID, m.key, uint64(0), uint8(0), m.repository, m.family, m.name,
					m.version, p.verdict.Normalized[i], string(p.verdict.Statuses[i])}
				if err := fn(Row{Cells: row}); err != nil {
					return err
				}
			}
			return nil
		}),
	}
	repos := &Check{
		Name: "project_repositories", Projector: "projects", Table: "project_repositories_current",
		Columns: []string{"project", "repository_id", "generation", "deleted", "repository", "family", "num_packages",
			"num_newest", "num_outdated", "num_legacy", "num_devel", "num_unique", "num_ignored", "best_version", "maintainers"},
		Key: []string{"project", "repository_id"}, Group: "repository_id", Version: "generation",
		Want: perProject(func(p *project, fn func(Row) error) error {
			for _, r := range p.parts() {
				row := append([]any{p.name, r.repositoryID, uint64(0), uint8(0), r.repository, r.family, r.packages}, r.counts.cells()...)
				row = append(row, r.best, slices.Sorted(maps.Keys(r.maintainers)))
				if err := fn(Row{Cells: row}); err != nil {
					return err
				}
			}
			return nil
		}),
	}
	projs := &Check{
		Name: "projects", Projector: "projects", Table: "projects_current",
		Columns: []string{"project", "generation", "deleted", "num_repos", "num_families", "num_packages", "newest_version",
			"devel_version", "repositories", "maintainers", "num_newest", "num_outdated", "num_legacy", "num_devel",
			"num_unique", "num_ignored", "first_seen", "last_changed"},
		Key: []string{"project"}, Version: "generation", Ignore: []string{"first_seen", "last_changed"},
		Want: perProject(func(p *project, fn func(Row) error) error {
			w := p.whole()
			row := []any{p.name, uint64(0), uint8(0), uint64(len(p.parts())), uint64(len(w.families)), uint64(len(p.members)),
				p.verdict.Newest, p.verdict.Devel, w.repositories, w.maintainers}
			row = append(append(row, w.counts.cells()...), epoch, epoch)
			return fn(Row{Cells: row})
		}),
	}
	for _, c := range []*Check{statuses, repos, projs} {
		c.Got = tableStream(c, "deleted = 0")
	}
	return append([]*Check{projs, repos, statuses}, totalsChecks()...)
}

// perProject is a Stream of the rows rows gives for each project.
func perProject(rows func(*project, func(Row) error) error) Stream {
	return func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error {
		return eachProject(ctx, conn, db, func(p *project) error { return rows(p, fn) })
	}
}
