package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/bus"
)

// swap swaps b's shadow tables in (see Rebuild, step 3). Idempotent.
func (r *rebuilder) swap(ctx context.Context, b *rebuild) error {
	ctl := consumers.NewControl(b.live)
	if err := ctl.Request(ctx, r.conn, b.name); err != nil {
		return err
	}
	hctx, stop := context.WithCancel(ctx)
	beating := make(chan struct{})
	go func() { defer close(beating); r.heartbeat(hctx, ctl, b.name) }()
	err := r.swapTables(ctx, b)
	stop()
	<-beating // no heartbeat may follow Done
	if err != nil {
		return err // the request goes stale: live projectors rejoin
	}
	if err := ctl.Done(ctx, r.conn, b.name); err != nil {
		return err
	}
	r.o.logger().InfoContext(ctx, "rebuild swapped in", "projector", b.name, "events", b.events)
	if err := r.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+b.shadow); err != nil {
		return fmt.Errorf("dropping %s: %w", b.shadow, err)
	}
	if err := r.admin.Remove(ctx, consumers.Group(b.rebuildName)); err != nil {
		r.o.logger().WarnContext(ctx, "the rebuild's consumer group stays", "err", err)
	}
	return nil
}

// swapTables does the swap proper once the live group is empty.
func (r *rebuilder) swapTables(ctx context.Context, b *rebuild) error {
	liveGroup := consumers.Group(b.name)
	if err := waitEmpty(ctx, r.o, r.admin, liveGroup); err != nil {
		return err
	}
	if err := r.catchUpIfBehind(ctx, b); err != nil {
		return err
	}
	for _, table := range ownedTables[b.name] {
		if err := replaceTable(ctx, r.conn, b.live, b.shadow, table); err != nil {
			return err
		}
	}
	if err := copyLedger(ctx, r.conn, b.live, b.shadow, b.name, b.rebuildName); err != nil {
		return err
	}
	offsets, err := r.admin.Committed(ctx, consumers.Group(b.rebuildName))
	if err != nil {
		return err
	}
	if len(offsets) == 0 {
		return fmt.Errorf("swapping %s: its rebuild group %s has no committed offsets", b.name, consumers.Group(b.rebuildName))
	}
	return r.commit(ctx, liveGroup, offsets)
}

// catchUpIfBehind runs b's rebuild projector again if the log has grown
// since it caught up.
func (r *rebuilder) catchUpIfBehind(ctx context.Context, b *rebuild) error {
	lag, err := bus.Lag(ctx, r.s.Brokers, consumers.Group(b.rebuildName), r.cfg.Topic)
	if err != nil {
		return err
	}
	for _, n := range lag {
		if n > 0 {
			return r.catchUp(ctx, nil, b) // swaps run at once: no display
		}
	}
	return nil
}

// heartbeat renews the swap request until ctx ends.
func (r *rebuilder) heartbeat(ctx context.Context, ctl *consumers.Control, name string) {
	for sleepCtx(ctx, heartbeatEvery) {
		if err := ctl.Request(ctx, r.conn, name); err != nil && ctx.Err() == nil {
			r.o.logger().WarnContext(ctx, "renewing the swap request", "projector", name, "err", err)
		}
	}
}

// replaceTable makes live.table hold exactly the parts of shadow.table:
// every partition of the shadow replaces the live one (ALTER TABLE … REPLACE
// PARTITION … FROM: atomic per partition, on 18.16 as on current
// releases; the shadow keeps its copy), and live partitions the shadow
// lacks are dropped. An unpartitioned table is one partition ('all'), so
// it is replaced atomically as a whole. Idempotent.
func replaceTable(ctx context.Context, conn driver.Conn, live, shadow, table string) error {
	want, err := partitionIDs(ctx, conn, shadow, table)
	if err != nil {
		return err
	}
	have, err := partitionIDs(ctx, conn, live, table)
	if err != nil {
		return err
	}
	for _, id := range want {
		q := fmt.Sprintf("ALTER TABLE %s.%s REPLACE PARTITION ID '%s' FROM %s.%s", live, table, quote(id), shadow, table)
		if err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("replacing partition %s of %s.%s: %w", id, live, table, err)
		}
	}
	for _, id := range have {
		if slices.Contains(want, id) {
			continue
		}
		if err := conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s.%s DROP PARTITION ID '%s'", live, table, quote(id))); err != nil {
			return fmt.Errorf("dropping partition %s of %s.%s: %w", id, live, table, err)
		}
	}
	return nil
}

// partitionIDs lists the partitions of database.table that hold parts.
func partitionIDs(ctx context.Context, conn driver.Conn, database, table string) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT DISTINCT partition_id FROM system.parts WHERE database = ? AND table = ? AND active",
		database, table)
	if err != nil {
		return nil, fmt.Errorf("listing partitions of %s.%s: %w", database, table, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("listing partitions of %s.%s: %w", database, table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing partitions of %s.%s: %w", database, table, err)
	}
	return ids, nil
}

// quote escapes s for a single-quoted SQL literal (partition ids are hex
// digits and underscores, but the server says what they are).
func quote(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}

// copyLedger copies the rebuild's rows of the shared ledger tables into
// the live database under the live projector's name. The tables are
// ReplacingMergeTrees keyed by projector, repository, (sequence,)
// partition: copying twice changes nothing, and the rebuild, caught up
// with the log, has every row the live projector had, at an equal or newer
// watermark.
func copyLedger(ctx context.Context, conn driver.Conn, live, shadow, liveName, rebuildName string) error {
	for _, table := range []string{"snapshot_markers", "watermarks"} {
		cols := ledgerTables[table]
		rest := strings.TrimPrefix(cols, "projector, ")
		q := fmt.Sprintf("INSERT INTO %s.%s (%s) SELECT ?, %s FROM %s.%s WHERE projector = ?", live, table, cols, rest, shadow, table)
		if err := conn.Exec(ctx, q, liveName, rebuildName); err != nil {
			return fmt.Errorf("copying %s of %s into %s: %w", table, rebuildName, live, err)
		}
	}
	return nil
}
