package projects

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// repositoryColumns are the columns of repositories_current, in the order
// of repositoryRow.values.
const repositoryColumns = "repository_id, generation, repository, family, num_packages, num_projects, num_newest," +
	" num_outdated, num_legacy, num_devel, num_unique, num_ignored, num_outdated_projects, num_maintainers," +
	" last_sequence, last_snapshot_time"

func (r *repositoryRow) values() []any {
	out := []any{r.id, r.generation, r.name, r.family, r.packages, r.projects}
	for _, n := range r.counts {
		out = append(out, n)
	}
	return append(out, r.outdatedProjects, r.maintainers, r.lastSequence, r.lastTime.UTC())
}

func (r *repositoryRow) pointers() []any {
	out := []any{&r.id, &r.generation, &r.name, &r.family, &r.packages, &r.projects}
	for i := range r.counts {
		out = append(out, &r.counts[i])
	}
	return append(out, &r.outdatedProjects, &r.maintainers, &r.lastSequence, &r.lastTime)
}

// readRepositories returns the rows of repositories_current, by id: the
// newest of each repository (a few rows per repository until merges).
func (p *Projection) readRepositories(ctx context.Context, conn driver.Conn) (map[string]repositoryRow, error) {
	out := map[string]repositoryRow{}
	err := p.queryRows(ctx, conn, "SELECT "+repositoryColumns+" FROM "+p.database+".repositories_current", nil,
		func(rows driver.Rows) error {
			var r repositoryRow
			err := rows.Scan(r.pointers()...)
			r.lastTime = r.lastTime.UTC()
			if was, ok := out[r.id]; !ok || r.generation > was.generation {
				out[r.id] = r
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("reading the repositories: %w", err)
	}
	return out, nil
}

func (p *Projection) insertRepositories(ctx context.Context, conn driver.Conn, rows []repositoryRow) error {
	query := "INSERT INTO " + p.database + ".repositories_current (" + repositoryColumns + ")"
	if err := p.insertRows(ctx, conn, query, len(rows), func(i int) []any { return rows[i].values() }); err != nil {
		return fmt.Errorf("writing %d repository rows: %w", len(rows), err)
	}
	return nil
}

// statisticsColumns are the columns of statistics_current but key, in the
// order of statisticsRow.values.
const statisticsColumns = "generation, num_repositories, num_families, num_projects, num_packages, num_maintainers," +
	" num_outdated_projects, num_unique_projects, num_newest, num_outdated, num_legacy, num_devel, num_unique," +
	" num_ignored, last_snapshot_time"

func (r *statisticsRow) values() []any {
	out := []any{r.generation, r.repositories, r.families, r.projects, r.packages, r.maintainers, r.outdatedProjects, r.uniqueProjects}
	for _, n := range r.counts {
		out = append(out, n)
	}
	return append(out, r.lastTime.UTC())
}

func (r *statisticsRow) pointers() []any {
	out := []any{&r.generation, &r.repositories, &r.families, &r.projects, &r.packages, &r.maintainers, &r.outdatedProjects, &r.uniqueProjects}
	for i := range r.counts {
		out = append(out, &r.counts[i])
	}
	return append(out, &r.lastTime)
}

// readStatistics returns the newest row of statistics_current, or a zero
// row.
func (p *Projection) readStatistics(ctx context.Context, conn driver.Conn) (statisticsRow, error) {
	var out statisticsRow
	err := p.queryRows(ctx, conn, "SELECT "+statisticsColumns+" FROM "+p.database+".statistics_current", nil,
		func(rows driver.Rows) error {
			var r statisticsRow
			err := rows.Scan(r.pointers()...)
			if r.generation >= out.generation {
				out = r
			}
			return err
		})
	if err != nil {
		return statisticsRow{}, fmt.Errorf("reading the statistics: %w", err)
	}
	return out, nil
}

func (p *Projection) insertStatistics(ctx context.Context, conn driver.Conn, row statisticsRow) error {
	query := "INSERT INTO " + p.database + ".statistics_current (key, " + statisticsColumns + ")"
	if err := p.insertRows(ctx, conn, query, 1, func(int) []any { return append([]any{uint8(0)}, row.values()...) }); err != nil {
		return fmt.Errorf("writing the statistics: %w", err)
	}
	return nil
}

const statisticsHistoryInsert = "INSERT INTO %s.statistics_history_current (repository_id, sequence, generation," +
	" repository, family, snapshot_time, num_packages, num_projects, num_newest, num_outdated, num_legacy, num_devel," +
	" num_unique, num_ignored, num_outdated_projects, num_maintainers, appeared, changed, disappeared)"

// insertStatisticsHistory writes the statistics_history row of snapshot s
// from its repository's new row r.
func (p *Projection) insertStatisticsHistory(ctx context.Context, conn driver.Conn, s consumers.Snapshot, r repositoryRow) error {
	c := s.Counts
	err := p.insertRows(ctx, conn, fmt.Sprintf(statisticsHistoryInsert, p.database), 1, func(int) []any {
		row := []any{r.id, s.Sequence, r.generation, r.name, r.family, s.Time.UTC(), r.packages, r.projects}
		for _, n := range r.counts {
			row = append(row, n)
		}
		return append(row, r.outdatedProjects, r.maintainers, uint64(c.Appeared), uint64(c.Changed), uint64(c.Disappeared))
	})
	if err != nil {
		return fmt.Errorf("writing the statistics of snapshot %d of %s: %w", s.Sequence, r.id, err)
	}
	return nil
}

// everyRepository returns the rows of all repositories after a promotion:
// the old rows, replaced by the new ones.
func everyRepository(old map[string]repositoryRow, changed []repositoryRow) []repositoryRow {
	all := maps.Clone(old)
	for _, r := range changed {
		all[r.id] = r
	}
	out := make([]repositoryRow, 0, len(all))
	for _, id := range slices.Sorted(maps.Keys(all)) {
		out = append(out, all[id])
	}
	return out
}
