package projects

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// write writes a promotion's rows, one insert per table, all at once.
// Their order does not matter: a promotion retried after a crash computes
// the same rows again (see compute), and a totals row already at the
// generation is left as it is (see nextRepositories).
func (p *Projection) write(ctx context.Context, conn driver.Conn, s consumers.Snapshot, d *delta) error {
	gen := d.generation
	return parallel(ctx,
		func(ctx context.Context) error { return p.insertHistory(ctx, conn, s, d.history) },
		func(ctx context.Context) error { return p.insertRepositories(ctx, conn, d.repositories) },
		func(ctx context.Context) error { return p.insertStatistics(ctx, conn, d.statistics) },
		func(ctx context.Context) error { return p.insertRepos(ctx, conn, gen, d.repos) },
		func(ctx context.Context) error { return p.insertProjects(ctx, conn, gen, d.projects) },
		func(ctx context.Context) error { return p.insertStatuses(ctx, conn, gen, d.statuses) },
		func(ctx context.Context) error { return p.writeState(ctx, conn, s, d.changes, d.moved) },
		func(ctx context.Context) error { return p.insertMaintainers(ctx, conn, s, d.maintainers) },
		func(ctx context.Context) error { return p.insertStatisticsHistory(ctx, conn, s, d.repositoryRow(s)) },
	)
}

const historyInsert = "INSERT INTO %s.project_history_current (project, snapshot_repository_id, sequence, repository_id, event," +
	" snapshot_repository, repository, snapshot_time, old_version, new_version)"

func (p *Projection) insertHistory(ctx context.Context, conn driver.Conn, s consumers.Snapshot, rows []historyRow) error {
	repo := s.Repository
	err := p.insertRows(ctx, conn, fmt.Sprintf(historyInsert, p.database), len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.project, repo.ID(), s.Sequence, r.repositoryID, r.event, repo.Name, r.repository, s.Time.UTC(), r.oldVersion, r.newVersion}
	})
	if err != nil {
		return fmt.Errorf("writing %d project history rows: %w", len(rows), err)
	}
	return nil
}

const statusInsert = "INSERT INTO %s.package_statuses_current (project, repository_id, key, generation, deleted," +
	" repository, family, name, version, normalized_version, status)"

func (p *Projection) insertStatuses(ctx context.Context, conn driver.Conn, gen uint64, rows []statusRow) error {
	err := p.insertRows(ctx, conn, fmt.Sprintf(statusInsert, p.database), len(rows), func(i int) []any {
		r := rows[i]
		status := r.status
		if r.deleted {
			status = Ignored // any value: the row only hides the package
		}
		return []any{r.project, r.repositoryID, r.key, gen, flag(r.deleted), r.repository, r.family, r.name, r.version, r.normalized, string(status)}
	})
	if err != nil {
		return fmt.Errorf("writing %d package statuses: %w", len(rows), err)
	}
	return nil
}

const repoInsert = "INSERT INTO %s.project_repositories_current (project, repository_id, generation, deleted, repository, family," +
	" num_packages, num_newest, num_outdated, num_legacy, num_devel, num_unique, num_ignored, best_version, maintainers)"

func (p *Projection) insertRepos(ctx context.Context, conn driver.Conn, gen uint64, rows []repoRow) error {
	err := p.insertRows(ctx, conn, fmt.Sprintf(repoInsert, p.database), len(rows), func(i int) []any {
		r := rows[i]
		c := r.counts
		return []any{r.project, r.repositoryID, gen, flag(r.deleted), r.repository, r.family,
			r.packages, c[0], c[1], c[2], c[3], c[4], c[5], r.best, list(r.maintainers)}
	})
	if err != nil {
		return fmt.Errorf("writing %d project repository rows: %w", len(rows), err)
	}
	return nil
}

const projectInsert = "INSERT INTO %s.projects_current (project, generation, deleted, num_repos, num_families, num_packages," +
	" newest_version, devel_version, repositories, maintainers, num_newest, num_outdated, num_legacy, num_devel, num_unique," +
	" num_ignored, first_seen, last_changed)"

func (p *Projection) insertProjects(ctx context.Context, conn driver.Conn, gen uint64, rows []projectRow) error {
	err := p.insertRows(ctx, conn, fmt.Sprintf(projectInsert, p.database), len(rows), func(i int) []any {
		r := rows[i]
		c := r.counts
		return []any{r.project, gen, flag(r.deleted), r.repos, r.families, r.packages, r.newest, r.devel,
			list(r.repositories), list(r.maintainers), c[0], c[1], c[2], c[3], c[4], c[5], r.firstSeen.UTC(), r.lastChanged.UTC()}
	})
	if err != nil {
		return fmt.Errorf("writing %d project rows: %w", len(rows), err)
	}
	return nil
}

// list returns ss, or an empty list for nil.
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
