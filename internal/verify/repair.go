package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// keysPerMutation bounds the keys one ALTER TABLE … DELETE names.
const keysPerMutation = 1000

// repair makes c's table equal to the recomputation at the keys of diffs.
func repair(ctx context.Context, conn driver.Conn, db string, c *Check, diffs []Diff, rep *Report) error {
	if c.NoRepair != "" {
		rep.Unrepaired = append(rep.Unrepaired, fmt.Sprintf("%s: %d differences: %s", c.Name, len(diffs), c.NoRepair))
		return nil
	}
	fix := c.Repair
	if fix == nil {
		fix = replaceRows
	}
	if err := fix(ctx, conn, db, c, diffs); err != nil {
		return err
	}
	rep.Repaired += uint64(len(diffs))
	return nil
}

// replaceRows deletes every row of the differing keys and inserts the
// recomputed rows (none for an extra row). The inserted rows carry the
// greatest version left in the table, so the next promotion touching them
// still replaces them; the columns that are not recomputed keep the value
// of the row they replace.
func replaceRows(ctx context.Context, conn driver.Conn, db string, c *Check, diffs []Diff) error {
	keys := make([][]any, len(diffs))
	for i, d := range diffs {
		keys[i] = d.Key
	}
	if err := deleteKeys(ctx, conn, db, c.Table, c.Key, keys, ""); err != nil {
		return err
	}
	var version uint64
	if c.Version != "" {
		if err := conn.QueryRow(ctx, "SELECT toUInt64(max("+c.Version+")) FROM "+db+"."+c.Table).Scan(&version); err != nil {
			return fmt.Errorf("reading the version of %s: %w", c.Table, err)
		}
	}
	b, err := conn.PrepareBatch(ctx, "INSERT INTO "+db+"."+c.Table+" ("+strings.Join(c.Columns, ", ")+")")
	if err != nil {
		return fmt.Errorf("writing %s: %w", c.Table, err)
	}
	n := 0
	for _, d := range diffs {
		if d.Want == nil {
			continue
		}
		cells := slices.Clone(d.Want.Cells)
		for i, col := range c.Columns {
			switch {
			case col == c.Version:
				cells[i] = version
			case slices.Contains(c.Ignore, col) && d.Got != nil:
				cells[i] = d.Got.Cells[i]
			}
		}
		if err := b.Append(cells...); err != nil {
			_ = b.Abort()
			return fmt.Errorf("writing %s %s: %w", c.Table, renderKey(d.Key), err)
		}
		n++
	}
	if n == 0 {
		return b.Abort()
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("writing %d rows to %s: %w", n, c.Table, err)
	}
	return nil
}

// deleteKeys deletes the rows of table whose key columns equal one of
// keys (and where also holds, if given), and waits until the mutations are
// done: ALTER TABLE … DELETE is asynchronous.
func deleteKeys(ctx context.Context, conn driver.Conn, db, table string, cols []string, keys [][]any, also string) error {
	for start := 0; start < len(keys); start += keysPerMutation {
		chunk := keys[start:min(start+keysPerMutation, len(keys))]
		tuples := make([]string, len(chunk))
		for i, k := range chunk {
			tuples[i] = tuple(k)
		}
		where := "(" + strings.Join(cols, ", ") + ") IN (" + strings.Join(tuples, ", ") + ")"
		if len(cols) == 1 {
			where = cols[0] + " IN (" + strings.Join(tuples, ", ") + ")"
		}
		if also != "" {
			where = "(" + where + ") AND (" + also + ")"
		}
		if err := conn.Exec(ctx, "ALTER TABLE "+db+"."+table+" DELETE WHERE "+where); err != nil {
			return fmt.Errorf("deleting %d keys of %s: %w", len(chunk), table, err)
		}
	}
	return waitMutations(ctx, conn, db, table)
}

// waitMutations polls system.mutations until no mutation of table is
// pending.
func waitMutations(ctx context.Context, conn driver.Conn, db, table string) error {
	for {
		var pending uint64
		err := conn.QueryRow(ctx, "SELECT count() FROM system.mutations WHERE database = ? AND table = ? AND is_done = 0", db, table).Scan(&pending)
		if err != nil {
			return fmt.Errorf("waiting for the mutations of %s: %w", table, err)
		}
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// tuple renders key cells as a ClickHouse literal: one value, or a tuple.
func tuple(k []any) string {
	parts := make([]string, len(k))
	for i, v := range k {
		parts[i] = literal(v)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func literal(v any) string {
	switch v := v.(type) {
	case string:
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
	case uint64:
		return strconv.FormatUint(v, 10)
	case uint8:
		return strconv.FormatUint(uint64(v), 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	}
	return fmt.Sprintf("'%v'", v)
}
