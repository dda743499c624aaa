// Package consumers is the projector runtime: it feeds projections — the
// components that keep derived tables in ClickHouse — from the events topic.
//
// # The loop
//
// A Projector is one member of its projection's consumer group, whose id is
// Group(projection.Name()): "repodelta-" + name. Renaming a projection
// therefore re-reads the whole log. Run loops:
//
//  1. Fetch a batch (Config.BatchSize records, 5000 by default, gathered
//     for at most Config.MaxWait, 200ms).
//  2. Decode every record (events.Decode, on every core). A record that is
//     not a valid event goes to the poison topic through Config.Poison
//     (bus.Publisher.Poison) and is skipped; with no Poisoner it stops Run.
//  3. Apply the decoded events: Projection.Apply(ctx, conn, batch).
//  4. Commit the batch's offsets, only after Apply succeeded.
//
// Delivery is at least once: a batch applied but not committed (a crash, a
// Close, a rebalance) is fetched again, perhaps by another member. Errors
// that chdb.Retryable (ClickHouse) or bus.Retryable (Kafka) accept are
// retried on the same batch, without committing, after a wait doubling from
// 100ms to 5s, for as long as it takes; any other error stops Run and is
// returned, with nothing committed past the batch that met it.
//
// Run returns nil when its context ends or the projector is closed: the
// batch in flight is abandoned uncommitted, to be fetched again. With
// Config.Once it also returns nil once the group is caught up (lag zero on
// every partition, see CaughtUp and bus.Lag), which is what
// `repodelta run --once` needs. Close is idempotent.
//
// # What a projection must do
//
// Apply is idempotent: re-delivered batches, records duplicated by a
// retried produce, and a replay of the log from offset zero all converge to
// the same rows. Rows carry the snapshot sequence that wrote them as their
// version (ReplacingMergeTree), and nothing is ever counted blindly.
//
// Apply never makes half a snapshot visible. A snapshot of a repository is
// a snapshot.started marker on every partition, package events spread over
// the partitions by project, then a snapshot.committed marker on every
// partition, each copy after all of the snapshot's events on its partition.
// The Ledger turns that into a protocol that holds across batches and
// across processes sharing the group:
//
//  1. stage the rows of the batch's package events in a pending table;
//  2. Ledger.Record: write the batch's commit markers to snapshot_markers
//     and learn which snapshots now have a marker on every partition;
//  3. promote each of them, in log order (Snapshot.At: where the commit
//     marker's partition 0 copy stands, so every replay promotes in the
//     same order whatever the batch boundaries), with one INSERT … SELECT per
//     visible table: one block, one part, visible at once;
//  4. Ledger.Advance: move the projector's watermarks to the snapshot.
//
// Because each process records a marker only after staging what precedes
// it on its partition, a snapshot complete in snapshot_markers has all its
// rows staged, whichever processes staged them. A snapshot whose commit
// marker never reaches every partition (the producer died) is never
// promoted; the producer diffs its next snapshot against the last committed
// one (events.Marker.PreviousSequence), so the aborted snapshot's staged
// rows are dropped when that next snapshot is promoted.
//
// # Watermarks
//
// The committed sequence of a projector per repository — the snapshot its
// tables show — is
//
//	SELECT repository, sequence FROM <db>.projector_watermarks WHERE projector = 'packages'
//
// the minimum over partitions of each partition's newest promoted snapshot
// (see schemas/clickhouse/0001_snapshots.sql); Ledger.Committed reads it.
// Only complete snapshots are ever written to watermarks, and a snapshot's
// rows for every partition are written in one block.
//
// # Assumptions about the producer
//
// A snapshot sequence is never reused for other content (an aborted
// snapshot's sequence is burnt); a snapshot whose commit markers reached
// every partition counts as committed, so the next snapshot must be diffed
// against it; Marker.Partition and Marker.Partitions name the copy and the
// count (a zero count means one copy). With replicated ClickHouse, the
// completeness check needs read-your-writes across replicas
// (insert_quorum with select_sequential_consistency); only a single server
// is tested.
//
// # Rebuilds and fault points
//
// A Projector given a Control (Config.Control) checks, between batches and
// about once a second while it waits for records, whether a rebuild asks to
// swap its projection's tables (projector_control). While one does, it
// commits nothing more, leaves its consumer group and waits; when the swap
// is done (or its heartbeat is a minute stale) it rejoins, from the
// group's committed offsets, which the rebuild has set to where the rebuilt
// tables end. See internal/pipeline's Rebuild.
//
// REPODELTA_FAILPOINT (failpoint.go) kills the process at a chosen point of
// the loop — after fetching, after applying, after committing — for the
// crash tests; unset, it costs one nil check per point.
//
// Package consumers/projectortest holds the suite every projection passes.
package consumers
