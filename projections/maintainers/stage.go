package maintainers

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// entryColumns are the columns of maintainers_pending and of the state
// after staged.RowColumns, in the order of pending.columns.
var entryColumns = []string{"maintainer_ids", "name_ids", "roles"}

// maintainerStrings is maintainer_strings: the names and addresses that
// people's ids are hashes of.
var maintainerStrings = staged.Dictionary{Table: "maintainer_strings", ID: "id", Value: "value", Noun: "maintainer strings"}

// pending holds rows of maintainers_pending being built, column by column.
type pending struct {
	staged.Rows
	ids     [][]uint64
	nameIDs [][]uint64
	roles   [][]uint8
}

func (r *pending) add(e consumers.Event, people []person, deleted bool) {
	ids, names, roles := make([]uint64, len(people)), make([]uint64, len(people)), make([]uint8, len(people))
	for i, p := range people {
		ids[i], names[i], roles[i] = p.id, p.nameID, p.role
	}
	r.Add(e, deleted)
	r.ids = append(r.ids, ids)
	r.nameIDs = append(r.nameIDs, names)
	r.roles = append(r.roles, roles)
}

// columns returns the values in the order of staged.RowColumns, then
// entryColumns.
func (r *pending) columns() []any {
	return append(r.Columns(), r.ids, r.nameIDs, r.roles)
}

// stage inserts the strings of the batch's package events into
// maintainer_strings, then a row per package event into
// maintainers_pending, in as few inserts as the partition limit allows.
// Strings go first: an id is never visible before its string.
func (p *Projection) stage(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	strs := map[uint64]string{}
	var chunks []*pending
	for _, c := range staged.Chunks(batch, p.maxParts) {
		rows := &pending{}
		for _, e := range c {
			var people []person
			if e.Package != nil {
				people = peopleOf(e.Package, strs)
			}
			rows.add(e, people, e.Package == nil)
		}
		chunks = append(chunks, rows)
	}
	if err := maintainerStrings.Store(ctx, conn, p.database, strs); err != nil {
		return err
	}
	for _, c := range chunks {
		if err := p.tables.InsertPending(ctx, conn, c.Len(), c.columns()); err != nil {
			return err
		}
	}
	return nil
}
