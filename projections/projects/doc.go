// Package projects is the projects projection: every project (the
// cross-repository grouping of packages, Debian's source package), the
// status of each package within its project across repositories (newest,
// outdated, legacy, devel, unique, ignored — see Classify), per-project and
// per-repository totals, global statistics, and the history of projects
// and of repositories' statistics. Its tables are created by migration
// schemas/clickhouse/0003_projects.sql; README.md documents the views
// column by column and the status rules.
//
// # Its own state
//
// Statuses depend on a project's packages in every repository, so the
// projection keeps them — project, version, maintainer of every package —
// in its own table, projects_state, derived from the events alone: it
// never reads another projector's tables. Beside it, projects_maintainers
// counts each repository's packages per maintainer.
//
// # Apply
//
// Apply follows the consumers.Ledger protocol, as package packages does:
//
//  1. Stage every package event of the batch in projects_pending,
//     partitioned by (repository_id, sequence).
//  2. Record the batch's commit markers; get the snapshots now complete.
//  3. Promote each complete snapshot the watermarks do not show yet, in
//     log order (consumers.CompareLogOrder: where its commit marker stands
//     on partition 0): project history records changes in that order, the
//     same in every replay whatever the batch boundaries.
//  4. Advance the watermarks, and drop the snapshot's pending partition
//     with those of the snapshots aborted since the previous one.
//
// A snapshot the watermarks already show — a batch delivered again, a
// replay from offset zero — is not promoted again; its re-staged rows are
// dropped.
//
// # Promotion: deltas only
//
// Promoting a snapshot touches only the projects it changed — those of its
// events, and those its packages moved out of — and the repositories that
// have them:
//
//  1. One query reads the snapshot's staged events, each with the
//     project and maintainer its package had before (its newest live
//     state row under the event's project, by primary key; a package that
//     moved to another project is then looked up across the table).
//  2. At once: the touched projects' packages are read from
//     projects_state as they were before the snapshot (its own rows left
//     out, should a crashed promotion have written them), with the times
//     of their rows in projects_current, the rows of repositories_current
//     and statistics_current, and the counts of the maintainers the
//     snapshot changes.
//  3. In Go: the snapshot is applied to the packages read, statuses are
//     classified with projections/versions (Classify), and every row of
//     the touched projects is computed — before and after the snapshot —
//     with their history (the difference) and the change they make to the
//     totals of each repository and of the statistics.
//  4. Every table receives one INSERT, all at once — one block, one part,
//     visible at once — so a reader sees a view at the previous snapshot
//     or at the next, never between. projects_state is written here too.
//
// The rows before the snapshot are recomputed from the state, not read:
// a promotion retried after a crash that wrote some of its rows finds the
// same difference again. (The recomputation uses the rules of the running
// release: after changing the status rules, rebuild the projection.)
//
// Internal reads use no FINAL (on 18.16 it costs more than the rows it
// saves): they keep the newest row of each key themselves. Sets of keys or
// projects are bound as tuples ("x IN ?" with a clickhouse.GroupSet),
// which use the primary key, in chunks below ClickHouse's query size.
//
// # Generation: the version of every surface row
//
// A project's rows change with the snapshots of every repository that has
// it, so the snapshot sequence cannot version them. Each promotion writes
// its rows at the generation: the sum over repositories of their last
// promoted snapshot (repositories_current.last_sequence), the promoted one
// included. It grows with every promotion of a new snapshot, stays the
// same when a promotion is retried, and a rebuild from the log assigns
// the same generations again. The tables are ReplacingMergeTree(generation):
// the newest computation wins; two rows of one key and one generation come
// from the same promotion and are equal.
//
// The totals of repositories and statistics are kept by delta — the old
// row plus the change the touched projects make to it — so a promotion
// never scans a whole table. The generation makes that idempotent: a
// totals row already at the promotion's generation holds the change
// already (a promotion retried after a crash) and is left as it is.
// Distinct maintainers are counted from projects_maintainers: a
// maintainer's count in a repository going from or to zero changes the
// repository's count, and the global one unless another repository has the
// maintainer.
//
// # One promoter at a time
//
// Promotions must happen one after the other: each reads the state and
// the totals as the previous one left them (delta totals, generations,
// touched projects recomputed from projects_state). Two processes of the
// projection (one consumer group, partitions split) would otherwise both
// promote — each the snapshots whose last marker it recorded — and two
// promotions touching one project or one repository's totals at once
// would each miss the other's change; the higher generation would win
// with half the truth.
//
// Staging and recording markers are safe to share; promotion takes the
// promotion lock (lock.go): the table projects_promoter, created to take
// it and dropped to release it. On one ClickHouse server DDL on one name
// is serialised and creating a table that exists fails, so at most one
// process holds it; the holder adds a heartbeat row every 5 s, and a lock
// unchanged for 30 s (its holder died) is broken by renaming it away.
// Kafka's partition ownership was the other candidate (the owner of
// partition 0 promotes): it needs the owner to promote snapshots that
// another member completes after the owner's last batch, and a Projector
// only calls Apply when records arrive, so the last snapshot could stay
// unpromoted.
//
// Under the lock the promoter reads the watermarks — nobody else moves
// them meanwhile — and promotes, before its own complete snapshots, any
// earlier complete snapshot of their repositories the watermarks do not
// show: another process may have recorded its last marker and be waiting
// for the lock. A snapshot already promoted is skipped, so each is
// promoted once, in sequence order per repository. (With replicated
// ClickHouse the lock would need a single server for DDL, or Keeper.)
//
// # Cost
//
// Per snapshot, besides the ledger's queries: one query, one round of
// reads at once, one round of inserts at once. Rows read and written are
// those of the touched projects, plus one row per repository and the
// counts of the maintainers the snapshot changed. BenchmarkPointReleaseDelta
// and BenchmarkRebuild compare the bookworm → bookworm-point delta with a
// rebuild of the whole log.
package projects
