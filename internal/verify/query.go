package verify

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// sql returns query with {{db}} replaced by db.
func sql(query, db string) string { return strings.ReplaceAll(query, "{{db}}", db) }

// queryStream is a Stream of the rows of one query (with {{db}}), each
// column scanned into its natural Go type.
func queryStream(query string) Stream {
	return func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error {
		return scan(ctx, conn, sql(query, db), func(cells []any) error { return fn(Row{Cells: cells}) })
	}
}

// scan runs query and calls fn with each row's cells.
func scan(ctx context.Context, conn driver.Conn, query string, fn func([]any) error) error {
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return fmt.Errorf("querying %.80q…: %w", query, err)
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	for rows.Next() {
		ptrs := make([]any, len(types))
		for i, t := range types {
			ptrs[i] = reflect.New(t.ScanType()).Interface()
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("scanning %.80q…: %w", query, err)
		}
		cells := make([]any, len(ptrs))
		for i, p := range ptrs {
			cells[i] = reflect.ValueOf(p).Elem().Interface()
		}
		if err := fn(cells); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading %.80q…: %w", query, err)
	}
	return nil
}

// tableStream reads the delta-maintained rows of c: its columns from
// c.Table FINAL, where visible holds, in key order.
func tableStream(c *Check, visible string) Stream {
	q := "SELECT " + strings.Join(c.Columns, ", ") + " FROM {{db}}." + c.Table + " FINAL"
	if visible != "" {
		q += " WHERE " + visible
	}
	return queryStream(q + " ORDER BY " + strings.Join(c.Key, ", "))
}
