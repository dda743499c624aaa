package maintainers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// maxInlineIDs is the most ids written into a query as an IN list (about
// 21 bytes each, well below max_query_size); with more, the whole state
// is read and filtered here.
const maxInlineIDs = 4096

// stateVersion is the version of rows spanning repositories: the sum over
// repositories of the newest snapshot sequence in the state. Every
// promotion that changes the state raises it; nothing else does.
const stateVersion = `SELECT toUInt64(sum(newest)) FROM
	(SELECT max(sequence) AS newest FROM %s.maintainer_packages GROUP BY repository_id)`

// recount rewrites the counts of the maintainers ids after snapshot s was
// promoted into the state — over all repositories and in s's repository —
// in one insert into maintainer_counts: a single block.
func (p *Projection) recount(ctx context.Context, conn driver.Conn, s consumers.Snapshot, ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	repo := s.Repository.ID()
	var version uint64
	if err := conn.QueryRow(ctx, fmt.Sprintf(stateVersion, p.database)).Scan(&version); err != nil {
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
// one of the ids listed in %[2]s (an inList, or "" for every package): the
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
	filter, keys := inList("id", ids), ""
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

// inList returns " AND column IN (id, …)", or "" when ids are too many
// to list. The ids are numbers formatted here: nothing to escape.
func inList(column string, ids []uint64) string {
	if len(ids) > maxInlineIDs {
		return ""
	}
	var b strings.Builder
	b.WriteString(" AND " + column + " IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(id, 10))
	}
	b.WriteByte(')')
	return b.String()
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
	return sendColumns(ctx, conn, "INSERT INTO "+p.database+".maintainer_counts (maintainer_id, repository_id, version, name_id,"+
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
