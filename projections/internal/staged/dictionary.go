package staged

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Dictionary is a table of strings by id (a hash of the string), whose
// rows are never removed: once an id is found, it stays found.
type Dictionary struct {
	Table string // e.g. "maintainer_strings"
	ID    string // the id column
	Value string // the string column
	Noun  string // what the strings are, in errors: "URLs"
}

// Store inserts the strings of strs that database's table lacks, in one
// block. It removes from strs those found already.
func (d Dictionary) Store(ctx context.Context, conn driver.Conn, database string, strs map[uint64]string) error {
	if err := d.dropKnown(ctx, conn, database, strs); err != nil {
		return err
	}
	if len(strs) == 0 {
		return nil
	}
	ids, values := make([]uint64, 0, len(strs)), make([]string, 0, len(strs))
	for id, s := range strs {
		ids, values = append(ids, id), append(values, s)
	}
	query := "INSERT INTO " + database + "." + d.Table + " (" + d.ID + ", " + d.Value + ")"
	if err := SendColumns(ctx, conn, query, ids, values); err != nil {
		return fmt.Errorf("storing %d %s: %w", len(strs), d.Noun, err)
	}
	return nil
}

// dropKnown removes from strs the ids the table holds already, when they
// are few enough to list: a query is cheaper than an insert, and a
// delta's strings are mostly known.
func (d Dictionary) dropKnown(ctx context.Context, conn driver.Conn, database string, strs map[uint64]string) error {
	list := InList(d.ID, slices.Collect(maps.Keys(strs)))
	if len(strs) == 0 || list == "" {
		return nil
	}
	rows, err := conn.Query(ctx, "SELECT "+d.ID+" FROM "+database+"."+d.Table+" WHERE 1 = 1"+list)
	if err != nil {
		return fmt.Errorf("looking up %d %s: %w", len(strs), d.Noun, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("looking up %d %s: %w", len(strs), d.Noun, err)
		}
		delete(strs, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking up %d %s: %w", len(strs), d.Noun, err)
	}
	return nil
}
