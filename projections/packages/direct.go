package packages

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
)

// The fast path for small snapshots. When one batch holds a whole snapshot
// — its started marker and its commit marker on every partition, hence
// every package event between them — its rows need not go through
// packages_pending: they are inserted straight into packages_current and
// package_history_current, one insert (one block, one part) per table,
// which is as atomic as the INSERT … SELECT of a promotion and saves a
// staging insert, a copy and a partition drop. Large snapshots, and any
// split across batches, take the staged path.

// snapshotID names a snapshot within a batch.
type snapshotID struct {
	repository string
	sequence   uint64
}

// wholeSnapshots returns the snapshots batch holds entirely.
func wholeSnapshots(batch []consumers.Event) map[snapshotID]bool {
	type seen struct {
		partitions       int32
		started, commits map[int]bool
	}
	marks := map[snapshotID]*seen{}
	for _, e := range batch {
		if !e.Type.IsMarker() || e.Marker == nil {
			continue
		}
		id := snapshotID{e.Repository.ID(), e.Sequence}
		s := marks[id]
		if s == nil {
			s = &seen{partitions: max(e.Marker.Partitions, 1), started: map[int]bool{}, commits: map[int]bool{}}
			marks[id] = s
		}
		if e.Type == events.SnapshotStarted {
			s.started[e.Partition] = true
		} else {
			s.commits[e.Partition] = true
		}
	}
	whole := map[snapshotID]bool{}
	for id, s := range marks {
		if len(s.started) == int(s.partitions) && len(s.commits) == int(s.partitions) {
			whole[id] = true
		}
	}
	return whole
}

// withoutSnapshots returns the events of batch not in the given snapshots.
func withoutSnapshots(batch []consumers.Event, skip map[snapshotID]bool) []consumers.Event {
	if len(skip) == 0 {
		return batch
	}
	out := make([]consumers.Event, 0, len(batch))
	for _, e := range batch {
		if !skip[snapshotID{e.Repository.ID(), e.Sequence}] {
			out = append(out, e)
		}
	}
	return out
}

// insertDirect writes the package events of snapshot s found in batch into
// the visible tables, one insert each.
func (p *Projection) insertDirect(ctx context.Context, conn driver.Conn, s consumers.Snapshot, batch []consumers.Event) error {
	id := snapshotID{s.Repository.ID(), s.Sequence}
	for _, t := range []struct {
		table string
		cols  []column
	}{{"packages_current", currentTableColumns()}, {"package_history_current", historyTableColumns()}} {
		rows := 0
		for _, e := range batch {
			if e.Type.IsMarker() || (snapshotID{e.Repository.ID(), e.Sequence}) != id {
				continue
			}
			pkg := e.Package
			if pkg == nil {
				pkg = &noPackage
			}
			for _, c := range t.cols {
				c.add(e.Envelope, pkg)
			}
			rows++
		}
		if err := p.insertColumns(ctx, conn, t.table, t.cols, rows); err != nil {
			return fmt.Errorf("writing snapshot %d of %s: %w", s.Sequence, id.repository, err)
		}
	}
	return p.dropPending(ctx, conn, s)
}

// insertColumns sends the rows in cols to table as one insert.
func (p *Projection) insertColumns(ctx context.Context, conn driver.Conn, table string, cols []column, rows int) error {
	if rows == 0 {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name()
	}
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+p.database+"."+table+" ("+strings.Join(names, ", ")+")")
	if err != nil {
		return fmt.Errorf("inserting %d rows into %s: %w", rows, table, err)
	}
	defer func() { _ = batch.Close() }()
	for i, c := range cols {
		if err := c.send(batch.Column(i)); err != nil {
			return fmt.Errorf("inserting %d rows into %s, column %s: %w", rows, table, c.name(), err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("inserting %d rows into %s: %w", rows, table, err)
	}
	return nil
}

// currentTableColumns are the columns of packages_current, built from
// events as the promotion builds them from staged rows.
func currentTableColumns() []column {
	var out []column
	for _, c := range pendingColumns() {
		switch c.name() {
		case "event", "previous_version", "previous_checksum":
		default:
			out = append(out, c)
		}
	}
	return append(out, col("deleted", func(e *events.Envelope, _ *events.Package) uint8 {
		if e.Type == events.PackageDisappeared {
			return 1
		}
		return 0
	}))
}

// historyTableColumns are the columns of package_history_current.
func historyTableColumns() []column {
	var out []column
	for _, c := range pendingColumns() {
		switch c.name() {
		case "repository_id", "sequence", "key", "event", "repository", "family", "distribution",
			"release", "component", "architecture", "snapshot_time", "project":
			out = append(out, c)
		}
	}
	return append(out,
		col("old_version", func(e *events.Envelope, _ *events.Package) string { return previous(e).Version }),
		str("new_version", func(p *events.Package) string { return p.Version }),
		col("old_checksum", func(e *events.Envelope, _ *events.Package) uint64 { return uint64(previous(e).Checksum) }),
		col("new_checksum", func(e *events.Envelope, _ *events.Package) uint64 {
			if e.Type == events.PackageDisappeared {
				return 0
			}
			return uint64(e.Checksum)
		}),
	)
}
