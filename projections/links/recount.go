package links

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// recount rewrites the counts of pairs after snapshot s was promoted into
// the state, in one insert into link_counts: a single block.
func (p *Projection) recount(ctx context.Context, conn driver.Conn, s consumers.Snapshot, pairs []pair) error {
	if len(pairs) == 0 {
		return nil
	}
	repo := s.Repository.ID()
	version, err := p.tables.StateVersion(ctx, conn)
	if err != nil {
		return fmt.Errorf("reading the state version after snapshot %d of %s: %w", s.Sequence, repo, err)
	}
	ids := idsOf(pairs)
	rows, err := p.stateRows(ctx, conn, ids)
	if err != nil {
		return fmt.Errorf("reading the state of %d links after snapshot %d of %s: %w", len(ids), s.Sequence, repo, err)
	}
	before, err := p.previous(ctx, conn, ids)
	if err != nil {
		return fmt.Errorf("reading the counts of %d links before snapshot %d of %s: %w", len(ids), s.Sequence, repo, err)
	}
	if err := p.writeCounts(ctx, conn, version, aggregate(rows, pairs, before, s.Time)); err != nil {
		return fmt.Errorf("counting %d links after snapshot %d of %s: %w", len(pairs), s.Sequence, repo, err)
	}
	return nil
}

// idsOf returns the distinct ids of pairs, which come sorted.
func idsOf(pairs []pair) []uint64 {
	var ids []uint64
	for i, p := range pairs {
		if i == 0 || p.id != pairs[i-1].id {
			ids = append(ids, p.id)
		}
	}
	return ids
}

// currentRows selects the state's current links of every package
// pointing at one of the ids listed in %[2]s (a staged.InList, or "" for every
// package): the newest row of each key, unless it is a disappearance. The
// filter %[3]s keeps only the keys with some row pointing at one of the
// ids (in any repository: a superset), so that a few ids read little.
const currentRows = `SELECT repository_id, key, current_project, id, kind FROM
(
	SELECT repository_id, key, argMax(deleted, sequence) AS gone, argMax(project, sequence) AS current_project,
		argMax(link_ids, sequence) AS ids, argMax(kinds, sequence) AS link_kinds
	FROM %[1]s.link_packages
	WHERE 1 = 1 %[3]s
	GROUP BY repository_id, key
)
ARRAY JOIN ids AS id, link_kinds AS kind
WHERE gone = 0 %[2]s`

// keysNaming restricts currentRows to the keys with a row pointing at one
// of the ids listed in %s.
const keysNaming = `AND key IN (SELECT key FROM %s.link_packages ARRAY JOIN link_ids AS id WHERE 1 = 1 %s)`

// stateRows reads the current links of every package pointing at one of
// ids (all of them, when ids are too many to list).
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
		if err := rows.Scan(&r.repository, &r.key, &r.project, &r.id, &r.kind); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// previous reads the current counts of ids, for the time those already
// orphaned were orphaned at.
func (p *Projection) previous(ctx context.Context, conn driver.Conn, ids []uint64) (map[pair]previous, error) {
	rows, err := conn.Query(ctx, "SELECT link_id, kind, num_packages, orphaned_at FROM "+p.database+
		".link_counts FINAL WHERE 1 = 1"+staged.InList("link_id", ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[pair]previous{}
	for rows.Next() {
		var (
			k pair
			v previous
		)
		if err := rows.Scan(&k.id, &k.kind, &v.packages, &v.orphanedAt); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (p *Projection) writeCounts(ctx context.Context, conn driver.Conn, version uint64, rows []countRow) error {
	n := len(rows)
	ids, kinds, versions := make([]uint64, n), make([]string, n), make([]uint64, n)
	packages, projects, repos := make([]uint64, n), make([]uint64, n), make([]uint64, n)
	orphaned := make([]time.Time, n)
	for i, r := range rows {
		ids[i], kinds[i], versions[i] = r.id, r.kind, version
		packages[i], projects[i], repos[i], orphaned[i] = r.packages, r.projects, r.repos, r.orphanedAt
	}
	return staged.SendColumns(ctx, conn, "INSERT INTO "+p.database+".link_counts"+
		" (link_id, kind, version, num_packages, num_projects, num_repos, orphaned_at)",
		ids, kinds, versions, packages, projects, repos, orphaned)
}
