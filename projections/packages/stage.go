package packages

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
)

// maxPartitionsPerInsert keeps each insert into packages_pending below
// current ClickHouse's max_partitions_per_insert_block (100 by default): a
// batch spanning more snapshots is inserted in several parts.
const maxPartitionsPerInsert = 64

// pendingInsert is the insert into packages_pending, with its column list
// (18.16 needs it to describe the columns).
var pendingInsert = func() string {
	cols := pendingColumns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name()
	}
	return "INSERT INTO %s.packages_pending (" + strings.Join(names, ", ") + ")"
}()

// noPackage stands for the payload of a disappeared event.
var noPackage events.Package

// stage inserts a row into packages_pending for every package event of
// batch, in as few inserts as the partition limit allows.
func (p *Projection) stage(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	type part struct {
		repository string
		sequence   uint64
	}
	cols := pendingColumns()
	grow(cols, len(batch))
	parts := map[part]bool{}
	rows := 0
	for _, e := range batch {
		if e.Type.IsMarker() {
			continue
		}
		k := part{e.Repository.ID(), e.Sequence}
		if !parts[k] && len(parts) == p.maxParts {
			if err := p.insertPending(ctx, conn, cols, rows); err != nil {
				return err
			}
			clear(parts)
			rows = 0
		}
		parts[k] = true
		pkg := e.Package
		if pkg == nil {
			pkg = &noPackage
		}
		for _, c := range cols {
			c.add(e.Envelope, pkg)
		}
		rows++
	}
	return p.insertPending(ctx, conn, cols, rows)
}

// insertPending sends the rows in cols as one insert, and empties cols.
func (p *Projection) insertPending(ctx context.Context, conn driver.Conn, cols []column, rows int) error {
	if rows == 0 {
		return nil
	}
	defer func() {
		for _, c := range cols {
			c.reset()
		}
	}()
	batch, err := conn.PrepareBatch(ctx, fmt.Sprintf(pendingInsert, p.database))
	if err != nil {
		return fmt.Errorf("staging %d package events: %w", rows, err)
	}
	defer func() { _ = batch.Close() }()
	for i, c := range cols {
		if err := c.send(batch.Column(i)); err != nil {
			return fmt.Errorf("staging %d package events, column %s: %w", rows, c.name(), err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("staging %d package events: %w", rows, err)
	}
	return nil
}
