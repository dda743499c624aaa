package maintainers

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// maxPartitionsPerInsert keeps each insert into maintainers_pending below
// current ClickHouse's max_partitions_per_insert_block (100 by default).
const maxPartitionsPerInsert = 64

// pendingColumns is the column list of the staging insert (18.16 needs
// it to describe the columns).
const pendingColumns = "repository_id, sequence, key, deleted, project, maintainer_ids, name_ids, roles"

// pending holds rows of maintainers_pending being built, column by column.
type pending struct {
	repositories []string
	sequences    []uint64
	keys         []string
	deleted      []uint8
	projects     []string
	ids          [][]uint64
	nameIDs      [][]uint64
	roles        [][]uint8
}

func (r *pending) add(e consumers.Event, people []person, deleted bool) {
	ids, names, roles := make([]uint64, len(people)), make([]uint64, len(people)), make([]uint8, len(people))
	for i, p := range people {
		ids[i], names[i], roles[i] = p.id, p.nameID, p.role
	}
	r.repositories = append(r.repositories, e.Repository.ID())
	r.sequences = append(r.sequences, e.Sequence)
	r.keys = append(r.keys, e.Key)
	r.deleted = append(r.deleted, boolByte(deleted))
	r.projects = append(r.projects, e.Project)
	r.ids = append(r.ids, ids)
	r.nameIDs = append(r.nameIDs, names)
	r.roles = append(r.roles, roles)
}

func (r *pending) len() int { return len(r.keys) }

// columns returns the values in the order of pendingColumns.
func (r *pending) columns() []any {
	return []any{r.repositories, r.sequences, r.keys, r.deleted, r.projects, r.ids, r.nameIDs, r.roles}
}

// stage inserts the strings of the batch's package events into
// maintainer_strings, then a row per package event into
// maintainers_pending, in as few inserts as the partition limit allows.
// Strings go first: an id is never visible before its string.
func (p *Projection) stage(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	type part struct {
		repository string
		sequence   uint64
	}
	strs := map[uint64]string{}
	var chunks []*pending
	rows, parts := &pending{}, map[part]bool{}
	for _, e := range batch {
		if e.Type.IsMarker() {
			continue
		}
		k := part{e.Repository.ID(), e.Sequence}
		if !parts[k] && len(parts) == p.maxParts {
			chunks = append(chunks, rows)
			rows, parts = &pending{}, map[part]bool{}
		}
		parts[k] = true
		var people []person
		if e.Package != nil {
			people = peopleOf(e.Package, strs)
		}
		rows.add(e, people, e.Package == nil)
	}
	chunks = append(chunks, rows)
	if err := p.insertStrings(ctx, conn, strs); err != nil {
		return err
	}
	for _, c := range chunks {
		if err := p.insertPending(ctx, conn, c); err != nil {
			return err
		}
	}
	return nil
}

// insertStrings stores the strings of strs that maintainer_strings lacks.
func (p *Projection) insertStrings(ctx context.Context, conn driver.Conn, strs map[uint64]string) error {
	if err := p.dropKnown(ctx, conn, strs); err != nil {
		return err
	}
	if len(strs) == 0 {
		return nil
	}
	ids, values := make([]uint64, 0, len(strs)), make([]string, 0, len(strs))
	for id, s := range strs {
		ids, values = append(ids, id), append(values, s)
	}
	query := "INSERT INTO " + p.database + ".maintainer_strings (id, value)"
	if err := sendColumns(ctx, conn, query, ids, values); err != nil {
		return fmt.Errorf("storing %d maintainer strings: %w", len(strs), err)
	}
	return nil
}

// dropKnown removes from strs the ids maintainer_strings holds already,
// when they are few enough to list: a query is cheaper than an insert,
// and a delta's strings are mostly known. Strings are never removed, so
// one found stays found.
func (p *Projection) dropKnown(ctx context.Context, conn driver.Conn, strs map[uint64]string) error {
	list := inList("id", slices.Collect(maps.Keys(strs)))
	if len(strs) == 0 || list == "" {
		return nil
	}
	rows, err := conn.Query(ctx, "SELECT id FROM "+p.database+".maintainer_strings WHERE 1 = 1"+list)
	if err != nil {
		return fmt.Errorf("looking up %d maintainer strings: %w", len(strs), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("looking up %d maintainer strings: %w", len(strs), err)
		}
		delete(strs, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking up %d maintainer strings: %w", len(strs), err)
	}
	return nil
}

func (p *Projection) insertPending(ctx context.Context, conn driver.Conn, rows *pending) error {
	if rows.len() == 0 {
		return nil
	}
	query := "INSERT INTO " + p.database + ".maintainers_pending (" + pendingColumns + ")"
	if err := sendColumns(ctx, conn, query, rows.columns()...); err != nil {
		return fmt.Errorf("staging %d package events: %w", rows.len(), err)
	}
	return nil
}

// sendColumns inserts one block: the i-th value is the slice of the i-th
// column of the query's column list.
func sendColumns(ctx context.Context, conn driver.Conn, query string, columns ...any) error {
	batch, err := conn.PrepareBatch(ctx, query)
	if err != nil {
		return err
	}
	defer func() { _ = batch.Close() }()
	for i, c := range columns {
		if err := batch.Column(i).Append(c); err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
	}
	return batch.Send()
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
