package projects

import (
	"context"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// delta is every row one promotion writes, and their generation.
type delta struct {
	generation   uint64
	changes      []change          // the snapshot's events, for projects_state
	moved        map[string]string // old project of packages that moved, by key
	statuses     []statusRow
	repos        []repoRow
	projects     []projectRow
	history      []historyRow
	repositories []repositoryRow
	statistics   statisticsRow
	maintainers  []maintainerCount
}

// repositoryRow returns the new row of the repository of s.
func (d *delta) repositoryRow(s consumers.Snapshot) repositoryRow {
	for _, r := range d.repositories {
		if r.id == s.Repository.ID() {
			return r
		}
	}
	return repositoryRow{id: s.Repository.ID()}
}

// earlier is what prepare reads besides the touched projects' packages:
// the generation, and the rows whose content carries on.
type earlier struct {
	generation   uint64
	projects     map[string]stored
	repositories map[string]repositoryRow
	statistics   statisticsRow
}

// readEarlier reads the rows whose content the promotion of s carries on:
// the touched projects' times, the repositories' and the statistics'
// totals; and the generation.
func (p *Projection) readEarlier(ctx context.Context, conn driver.Conn, s consumers.Snapshot, projects []string) (earlier, error) {
	var e earlier
	err := parallel(ctx, func(ctx context.Context) (err error) {
		e.projects, err = p.readStored(ctx, conn, projects)
		return err
	}, func(ctx context.Context) (err error) {
		e.repositories, err = p.readRepositories(ctx, conn)
		return err
	}, func(ctx context.Context) (err error) {
		e.statistics, err = p.readStatistics(ctx, conn)
		return err
	})
	e.generation = generation(e.repositories, s)
	return e, err
}

// compute derives a promotion's rows from what prepare read: the touched
// projects' packages before the snapshot (was) and after it (now). The
// rows the packages before gave are recomputed, not read: the difference
// with them — history, the change of the totals — is then the same when a
// promotion is retried after a crash that wrote some of its rows.
func compute(s consumers.Snapshot, projects []string, was, now map[string][]pkg, e earlier, m maintainers) *delta {
	d := &delta{generation: e.generation, maintainers: m.rows}
	t := newTotals()
	for _, name := range projects {
		old, c := computeProject(name, was[name]), computeProject(name, now[name])
		c.stamp(e.projects[name], s.Time.UTC())
		t.count(&old, &c)
		d.history = append(d.history, c.history(&old, s.Repository.ID(), s.Repository.Name)...)
		d.statuses = append(d.statuses, c.statuses...)
		for _, id := range slices.Sorted(maps.Keys(c.repos)) {
			d.repos = append(d.repos, *c.repos[id])
		}
		d.repos = append(d.repos, c.gone(&old)...)
		d.projects = append(d.projects, c.row)
	}
	d.repositories = nextRepositories(e.repositories, t, m, s, e.generation)
	d.statistics = nextStatistics(e.statistics, everyRepository(e.repositories, d.repositories), t, m, e.generation)
	return d
}
