package verify

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// repoTotals are one repository's totals over every project.
type repoTotals struct {
	id, name, family                     string
	packages, projects, outdatedProjects uint64
	maintainers                          uint64
	counts                               statusCounts
	lastSequence                         uint64
	lastTime                             time.Time
}

// allTotals are the totals of every repository and over all of them.
type allTotals struct {
	repos                                      map[string]*repoTotals
	projects, outdatedProjects, uniqueProjects uint64
	maintainers                                uint64
}

// The queries of the totals besides the classification: per repository
// its name, family, maintainers and last promoted snapshot; over all
// repositories the maintainers.
const (
	repoNames       = `SELECT repository_id, any(repository), any(family) FROM {{db}}.projects_state GROUP BY repository_id`
	repoMaintainers = `SELECT repository_id, toUInt64(uniqExactIf(maintainer, maintainer != '')) FROM {{db}}.projects_state FINAL
WHERE deleted = 0 GROUP BY repository_id`
	allMaintainers = `SELECT toUInt64(uniqExactIf(maintainer, maintainer != '')) FROM {{db}}.projects_state FINAL WHERE deleted = 0`
	lastSnapshots  = `SELECT w.repository, toUInt64(w.sequence), m.t FROM
(SELECT repository, sequence FROM {{db}}.projector_watermarks WHERE projector = 'projects') AS w
ANY LEFT JOIN (SELECT repository, sequence, max(snapshot_time) AS t FROM {{db}}.snapshot_markers
	WHERE projector = 'projects' GROUP BY repository, sequence) AS m USING (repository, sequence)`
)

// totals classifies every project and sums up per repository: memory is
// one project's packages and one record per repository.
func totals(ctx context.Context, conn driver.Conn, db string) (*allTotals, error) {
	t := &allTotals{repos: map[string]*repoTotals{}}
	repo := func(id string) *repoTotals {
		if t.repos[id] == nil {
			t.repos[id] = &repoTotals{id: id}
		}
		return t.repos[id]
	}
	err := scan(ctx, conn, sql(lastSnapshots, db), func(c []any) error {
		r := repo(c[0].(string))
		r.lastSequence, r.lastTime = c[1].(uint64), c[2].(time.Time).UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(ctx, conn, sql(repoNames, db), func(c []any) error {
		if r, ok := t.repos[c[0].(string)]; ok {
			r.name, r.family = c[1].(string), c[2].(string)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = scan(ctx, conn, sql(repoMaintainers, db), func(c []any) error {
		repo(c[0].(string)).maintainers = c[1].(uint64)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := scan(ctx, conn, sql(allMaintainers, db), func(c []any) error { t.maintainers = c[0].(uint64); return nil }); err != nil {
		return nil, err
	}
	err = eachProject(ctx, conn, db, func(p *project) error {
		for _, part := range p.parts() {
			r := repo(part.repositoryID)
			r.packages += part.packages
			r.projects++
			for i, n := range part.counts {
				r.counts[i] += n
			}
			if part.counts.outdated() {
				r.outdatedProjects++
			}
		}
		w := p.whole()
		t.projects++
		if w.counts.outdated() {
			t.outdatedProjects++
		}
		if len(w.families) == 1 {
			t.uniqueProjects++
		}
		return nil
	})
	return t, err
}

func totalsChecks() []*Check {
	repositories := &Check{
		Name: "repositories", Projector: "projects", Table: "repositories_current",
		Columns: []string{"repository_id", "generation", "repository", "family", "num_packages", "num_projects", "num_newest",
			"num_outdated", "num_legacy", "num_devel", "num_unique", "num_ignored", "num_outdated_projects", "num_maintainers",
			"last_sequence", "last_snapshot_time"},
		Key: []string{"repository_id"}, Group: "repository_id", Version: "generation",
		Want: func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error {
			t, err := totals(ctx, conn, db)
			if err != nil {
				return err
			}
			for _, id := range slices.Sorted(maps.Keys(t.repos)) {
				r := t.repos[id]
				row := append([]any{r.id, uint64(0), r.name, r.family, r.packages, r.projects}, r.counts.cells()...)
				row = append(row, r.outdatedProjects, r.maintainers, r.lastSequence, r.lastTime)
				if err := fn(Row{Cells: row}); err != nil {
					return err
				}
			}
			return nil
		},
	}
	statistics := &Check{
		Name: "statistics", Projector: "projects", Table: "statistics_current",
		Columns: []string{"key", "generation", "num_repositories", "num_families", "num_projects", "num_packages",
			"num_maintainers", "num_outdated_projects", "num_unique_projects", "num_newest", "num_outdated", "num_legacy",
			"num_devel", "num_unique", "num_ignored", "last_snapshot_time"},
		Key: []string{"key"}, Version: "generation",
		Want: func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error {
			t, err := totals(ctx, conn, db)
			if err != nil || len(t.repos) == 0 {
				return err
			}
			var packages uint64
			var counts statusCounts
			var last time.Time
			families := map[string]bool{}
			for _, r := range t.repos {
				packages += r.packages
				for i, n := range r.counts {
					counts[i] += n
				}
				families[r.family] = true
				if r.lastTime.After(last) {
					last = r.lastTime
				}
			}
			row := []any{uint8(0), uint64(0), uint64(len(t.repos)), uint64(len(families)), t.projects, packages,
				t.maintainers, t.outdatedProjects, t.uniqueProjects}
			return fn(Row{Cells: append(append(row, counts.cells()...), last)})
		},
	}
	for _, c := range []*Check{repositories, statistics} {
		c.Got = tableStream(c, "")
	}
	return []*Check{repositories, statistics}
}
