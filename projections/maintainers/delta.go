package maintainers

import (
	"context"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// entry is what one person contributes to the counts through one
// package: if any of a package's entries change, so may the counts of the
// people concerned; if none does, theirs cannot.
type entry struct {
	id, nameID uint64
	role       uint8
	project    string
}

// pendingRow is one side of a package key in a snapshot's delta: the row
// the snapshot brings, or (before) the state row it replaces.
type pendingRow struct {
	key     string
	before  bool
	entries []entry
}

// touched returns the maintainers whose entries s changes: for each key
// of s, those in the state row s replaces but not in the row s brings, or
// the other way round.
func (p *Projection) touched(ctx context.Context, conn driver.Conn, s consumers.Snapshot) ([]uint64, error) {
	rows, err := staged.ReadDelta(ctx, conn, p.tables, s, scanPending)
	if err != nil {
		return nil, err
	}
	return changedIDs(rows), nil
}

// scanPending reads a row of the columns of staged.ReadDelta; a
// deleted row has no entries.
func scanPending(rows driver.Rows) (pendingRow, error) {
	var (
		r               pendingRow
		before, deleted uint8
		project         string
		ids, nms        []uint64
		roles           []uint8
	)
	if err := rows.Scan(&r.key, &before, &deleted, &project, &ids, &nms, &roles); err != nil {
		return r, err
	}
	r.before = before == 1
	for i := range ids {
		if deleted == 0 {
			r.entries = append(r.entries, entry{id: ids[i], nameID: nms[i], role: roles[i], project: project})
		}
	}
	return r, nil
}

// changedIDs returns, sorted, the ids of the entries that differ between
// the replaced and the new rows of each key.
func changedIDs(rows []pendingRow) []uint64 {
	var d staged.Delta[entry]
	for _, r := range rows {
		d.Add(r.key, r.before, r.entries)
	}
	ids := map[uint64]bool{}
	for e := range d.Changed() {
		ids[e.id] = true
	}
	return slices.Sorted(maps.Keys(ids))
}
