// Package packages is the packages projection: every package of every
// repository as of the repository's last committed snapshot (the view
// packages), and every change a committed snapshot made (the view
// package_history). Its tables are created by migration
// schemas/clickhouse/0002_packages.sql; README.md documents the views
// column by column.
//
// # Apply
//
// Apply follows the consumers.Ledger protocol:
//
//  1. Stage: every package event of the batch becomes a row of
//     packages_pending (a disappeared event, a row without package fields),
//     in large columnar inserts (PrepareBatch with an explicit column list).
//     The table is partitioned by (repository_id, sequence): a snapshot's
//     staged rows are one partition, dropped whole.
//  2. Record the batch's commit markers; get the snapshots now complete.
//  3. Promote each complete snapshot in log order (consumers.Snapshot.At): one
//     INSERT … SELECT from its pending partition into packages_current, one
//     into package_history_current. Each is a single block (the squashing
//     thresholds are raised beyond any snapshot, see oneBlock), so a
//     single part, which becomes visible at once: a reader of the views
//     sees a repository at its previous snapshot or at the next, never
//     between. The two tables are each atomic, not together.
//  4. Drop the pending partitions of the snapshot and of the snapshots
//     aborted between it and the one it was diffed against, then advance
//     the watermarks.
//
// # Why the snapshot sequence is a sufficient version
//
// packages_current is ReplacingMergeTree(sequence) ordered by
// (repository_id, key); a disappeared package is a row with deleted = 1.
// The packages view reads it with FINAL and keeps rows with deleted = 0
// (FINAL merges before WHERE applies, on 18.16 and on current releases), so
// the newest row of each key wins. The sequence orders them correctly
// because one key has at most one event per snapshot (the differ refuses a
// key listed twice), so two rows of one key and one sequence come from the
// same event: a duplicate in the log, a re-delivered batch, a second
// promotion, or a replay — and an event's content is deterministic, so the
// rows are identical and either may win. A late re-promotion of an older
// snapshot carries a lower sequence and cannot override a newer row.
// package_history_current is a ReplacingMergeTree ordered by
// (repository_id, sequence, key): one row per event, duplicates collapse.
//
// # Idempotency and concurrency
//
// Applying a batch again re-stages identical rows and, if its markers
// complete a snapshot, promotes identical rows again: the views do not
// change. Several processes may apply at once (they share the group); at
// least one of those that record a snapshot's last markers promotes it.
// Pending partitions older than the snapshot's predecessor are left alone
// on promotion: such a snapshot may be complete and being promoted by a
// slower process. Rows re-staged after their snapshot was promoted and
// dropped (a re-delivery racing a promotion) can stay in packages_pending;
// they are never shown, and promoting them again would change nothing.
//
// # Cost
//
// Staging is one insert per batch (split past 64 snapshots, current
// ClickHouse refusing inserts into more than 100 partitions); promotion is
// two INSERT … SELECT, a partition drop and a small watermark insert per
// snapshot, whatever its size. A whole snapshot is squashed into one block
// in the server's memory while promoted: bookworm's 63,440 packages are
// about 40 MB uncompressed in packages_current. BenchmarkInitialLoad
// measures the bookworm initial load.
package packages
