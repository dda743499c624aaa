package links

import (
	"cmp"
	"context"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
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

// touched returns the (URL, kind) pairs whose entries s changes: for each
// key of s, those in the state row s replaces but not in the row s
// brings, or the other way round.
func (p *Projection) touched(ctx context.Context, conn driver.Conn, s consumers.Snapshot) ([]pair, error) {
	rows, err := staged.ReadDelta(ctx, conn, p.tables, s, scanPending)
	if err != nil {
		return nil, err
	}
	return changedPairs(rows), nil
}

// scanPending reads a row of the columns of staged.ReadDelta; a
// deleted row has no entries.
func scanPending(rows driver.Rows) (pendingRow, error) {
	var (
		r               pendingRow
		before, deleted uint8
		project         string
		ids             []uint64
		kinds           []string
	)
	if err := rows.Scan(&r.key, &before, &deleted, &project, &ids, &kinds); err != nil {
		return r, err
	}
	r.before = before == 1
	for i := range ids {
		if deleted == 0 {
			r.entries = append(r.entries, entry{pair: pair{id: ids[i], kind: kinds[i]}, project: project})
		}
	}
	return r, nil
}

// changedPairs returns, sorted, the pairs of the entries that differ
// between the replaced and the new rows of each key.
func changedPairs(rows []pendingRow) []pair {
	var d staged.Delta[entry]
	for _, r := range rows {
		d.Add(r.key, r.before, r.entries)
	}
	changed := map[pair]bool{}
	for e := range d.Changed() {
		changed[e.pair] = true
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
