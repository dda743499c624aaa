package links

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// pair is a row of the links view: a URL in one kind.
type pair struct {
	id   uint64
	kind string
}

// entry is what one link contributes to the counts through one package:
// if any of a package's entries change, so may the counts of the links
// concerned; if none does, theirs cannot.
type entry struct {
	pair
	project string
}

// pendingRow is one side of a package key in a snapshot's delta: the row
// the snapshot brings, or (before) the state row it replaces.
type pendingRow struct {
	key     string
	before  bool
	entries []entry
}

// stagedRows reads the rows snapshot s brings.
const stagedRows = `SELECT key, 0, deleted, project, link_ids, kinds
FROM %[1]s.links_pending WHERE repository_id = ? AND sequence = ?`

// replacedRows reads, for each key of snapshot s, the newest state row
// older than s: what s replaces. It does not change when s (or a later
// snapshot) is promoted, so a repeated promotion finds the same delta.
const replacedRows = `SELECT key, 1, argMax(deleted, sequence), argMax(project, sequence),
	argMax(link_ids, sequence), argMax(kinds, sequence)
FROM %[1]s.link_packages
WHERE repository_id = ? AND sequence < ?
	AND key IN (SELECT key FROM %[1]s.links_pending WHERE repository_id = ? AND sequence = ?)
GROUP BY key`

// touched returns the (URL, kind) pairs whose entries s changes: for each
// key of s, those in the state row s replaces but not in the row s
// brings, or the other way round.
func (p *Projection) touched(ctx context.Context, conn driver.Conn, s consumers.Snapshot) ([]pair, error) {
	repo := s.Repository.ID()
	staged, err := p.deltaRows(ctx, conn, fmt.Sprintf(stagedRows, p.database), repo, s.Sequence)
	if err != nil {
		return nil, fmt.Errorf("reading staged rows of snapshot %d of %s: %w", s.Sequence, repo, err)
	}
	replaced, err := p.deltaRows(ctx, conn, fmt.Sprintf(replacedRows, p.database), repo, s.Sequence, repo, s.Sequence)
	if err != nil {
		return nil, fmt.Errorf("reading the state replaced by snapshot %d of %s: %w", s.Sequence, repo, err)
	}
	return changedPairs(append(staged, replaced...)), nil
}

// deltaRows runs a query of stagedRows' columns; a deleted row has no
// entries.
func (p *Projection) deltaRows(ctx context.Context, conn driver.Conn, query string, args ...any) ([]pendingRow, error) {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingRow
	for rows.Next() {
		var (
			r               pendingRow
			before, deleted uint8
			project         string
			ids             []uint64
			kinds           []string
		)
		if err := rows.Scan(&r.key, &before, &deleted, &project, &ids, &kinds); err != nil {
			return nil, err
		}
		r.before = before == 1
		for i := range ids {
			if deleted == 0 {
				r.entries = append(r.entries, entry{pair: pair{id: ids[i], kind: kinds[i]}, project: project})
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// changedPairs returns, sorted, the pairs of the entries that differ
// between the replaced and the new rows of each key.
func changedPairs(rows []pendingRow) []pair {
	type sides struct{ old, new map[entry]bool }
	byKey := map[string]*sides{}
	for _, r := range rows {
		s := byKey[r.key]
		if s == nil {
			s = &sides{old: map[entry]bool{}, new: map[entry]bool{}}
			byKey[r.key] = s
		}
		side := s.new
		if r.before {
			side = s.old
		}
		for _, e := range r.entries {
			side[e] = true
		}
	}
	changed := map[pair]bool{}
	for _, s := range byKey {
		for e := range s.old {
			if !s.new[e] {
				changed[e.pair] = true
			}
		}
		for e := range s.new {
			if !s.old[e] {
				changed[e.pair] = true
			}
		}
	}
	out := make([]pair, 0, len(changed))
	for p := range changed {
		out = append(out, p)
	}
	slices.SortFunc(out, comparePairs)
	return out
}

func comparePairs(a, b pair) int {
	return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.kind, b.kind))
}
