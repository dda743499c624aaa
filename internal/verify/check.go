package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/cespare/xxhash/v2"
)

// Row is one row of a derived table, recomputed (want) or read (got).
// Cells hold the values of Check.Columns in order: string, uint64, uint8,
// []string or time.Time.
type Row struct {
	Cells []any
}

// Stream calls fn with every row of one side of a check, in the check's
// order (Check.Order). It stops at the first error fn returns.
type Stream func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error

// Check compares one derived table with its recomputation.
type Check struct {
	Name      string   // the table as users know it (a view's name)
	Projector string   // the projection that maintains it
	Table     string   // the table repair writes to
	Columns   []string // the columns of Table each row holds, in order
	Key       []string // the columns identifying a row, the order of both streams
	Group     string   // the column summaries are per (a repository id), "" for one summary
	Version   string   // the ReplacingMergeTree version column ("" none)
	Ignore    []string // columns neither compared nor recomputed (kept from got on repair)
	Want, Got Stream
	// FromLog, when set, builds Want from the event log.
	FromLog func(EventLog) Stream
	// Repair, when not nil, replaces the generic repair (delete the keys,
	// insert the wanted rows).
	Repair func(ctx context.Context, conn driver.Conn, db string, c *Check, diffs []Diff) error
	// NoRepair says why the table cannot be repaired ("" when it can).
	NoRepair string
}

func (c *Check) index(col string) int { return slices.Index(c.Columns, col) }

// key returns the key cells of r.
func (c *Check) key(r *Row) []any {
	out := make([]any, len(c.Key))
	for i, k := range c.Key {
		out[i] = r.Cells[c.index(k)]
	}
	return out
}

// group returns r's summary group.
func (c *Check) group(r *Row) string {
	if c.Group == "" {
		return ""
	}
	s, _ := r.Cells[c.index(c.Group)].(string)
	return s
}

// content renders the compared cells of r: every column but the version
// and the ignored ones.
func (c *Check) content(r *Row) string {
	var b strings.Builder
	for i, col := range c.Columns {
		if col == c.Version || slices.Contains(c.Ignore, col) || slices.Contains(c.Key, col) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%s", col, render(r.Cells[i]))
	}
	return b.String()
}

// checksum is the content checksum of r: xxhash64 of its key and content.
func (c *Check) checksum(r *Row) uint64 {
	return xxhash.Sum64String(renderKey(c.key(r)) + "\x00" + c.content(r))
}

// render formats one cell.
func render(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case []string:
		return fmt.Sprintf("%q", v)
	case time.Time:
		return v.UTC().Format(time.DateTime)
	default:
		return fmt.Sprint(v)
	}
}

func renderKey(key []any) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = fmt.Sprint(k)
	}
	return strings.Join(parts, " ")
}

// compareKeys orders keys as ClickHouse's ORDER BY does: strings bytewise,
// numbers numerically, column by column.
func compareKeys(a, b []any) int {
	for i := range a {
		if c := compareCell(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

func compareCell(a, b any) int {
	switch a := a.(type) {
	case string:
		return strings.Compare(a, b.(string))
	case uint64:
		return cmpOrdered(a, b.(uint64))
	case uint8:
		return cmpOrdered(a, b.(uint8))
	case int32:
		return cmpOrdered(a, b.(int32))
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func cmpOrdered[T uint64 | uint8 | int32](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// withLog returns c with its Want read from log, if it is read from the
// event log.
func (c *Check) withLog(log EventLog) *Check {
	if c.FromLog == nil {
		return c
	}
	cc := *c
	cc.Want = c.FromLog(log)
	return &cc
}
