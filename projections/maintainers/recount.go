package maintainers

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// recount rewrites the counts of the maintainers ids after snapshot s was
// promoted into the state — over all repositories and in s's repository —
// in one insert into maintainer_counts: a single block.
func (p *Projection) recount(ctx context.Context, conn driver.Conn, s consumers.Snapshot, ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	repo := s.Repository.ID()
	version, err := p.tables.StateVersion(ctx, conn)
	if err != nil {
		return fmt.Errorf("reading the state version after snapshot %d of %s: %w", s.Sequence, repo, err)
	}
	rows, err := p.stateRows(ctx, conn, ids)
	if err != nil {
		return fmt.Errorf("reading the state of %d maintainers after snapshot %d of %s: %w", len(ids), s.Sequence, repo, err)
	}
	if err := p.writeCounts(ctx, conn, version, aggregate(rows, ids, repo)); err != nil {
		return fmt.Errorf("counting %d maintainers after snapshot %d of %s: %w", len(ids), s.Sequence, repo, err)
	}
	return nil
}

// currentRows selects the state's current people of every package naming
// one of the ids listed in %[2]s (a staged.InList, or "" for every package): the
// newest row of each key, unless it is a disappearance. The filter %[3]s
// keeps only the keys with some row naming one of the ids (in any
// repository: a superset), so that a few ids read little.
const currentRows = `SELECT repository_id, key, current_project, id, name_id, role FROM
(
	SELECT repository_id, key, argMax(deleted, sequence) AS gone, argMax(project, sequence) AS current_project,
		argMax(maintainer_ids, sequence) AS ids, argMax(name_ids, sequence) AS names, argMax(roles, sequence) AS person_roles
	FROM %[1]s.maintainer_packages
	WHERE 1 = 1 %[3]s
	GROUP BY repository_id, key
)
ARRAY JOIN ids AS id, names AS name_id, person_roles AS role
WHERE gone = 0 %[2]s`

// keysNaming restricts currentRows to the keys with a row naming one of
// the ids listed in %s.
const keysNaming = `AND key IN (SELECT key FROM %s.maintainer_packages ARRAY JOIN maintainer_ids AS id WHERE 1 = 1 %s)`

// stateRows reads the current people of every package naming one of ids
// (all of them, when ids are too many to list).
func (p *Projection) stateRows(ctx context.Context, conn driver.Conn, ids []uint64) ([]stateRow, error) {
	filter, keys := staged.InList("id", ids), ""
	if filter != "" {
		keys = fmt.Sprintf(keysNaming, p.database, filter)
	}
	rows, err := conn.Query(ctx, fmt.Sprintf(currentRows, p.database, filter, keys))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stateRow
	for rows.Next() {
		var r stateRow
		if err := rows.Scan(&r.repository, &r.key, &r.project, &r.id, &r.nameID, &r.role); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (p *Projection) writeCounts(ctx context.Context, conn driver.Conn, version uint64, rows []countRow) error {
	n := len(rows)
	ids, repos, versions, names := make([]uint64, n), make([]string, n), make([]uint64, n), make([]uint64, n)
	var m, u [3][]uint64
	for i, r := range rows {
		ids[i], repos[i], versions[i], names[i] = r.id, r.repository, version, r.nameID
		m = appendCounts(m, r.maintainer)
		u = appendCounts(u, r.upload)
	}
	return staged.SendColumns(ctx, conn, "INSERT INTO "+p.database+".maintainer_counts (maintainer_id, repository_id, version, name_id,"+
		" num_packages, num_projects, num_repos, num_packages_uploader, num_projects_uploader, num_repos_uploader)",
		ids, repos, versions, names, m[0], m[1], m[2], u[0], u[1], u[2])
}

// appendCounts appends c's packages, projects and repos to the three
// columns in cols.
func appendCounts(cols [3][]uint64, c counts) [3][]uint64 {
	cols[0] = append(cols[0], c.packages)
	cols[1] = append(cols[1], c.projects)
	cols[2] = append(cols[2], c.repos)
	return cols
}
