// Package verify recomputes every derived table from its projection's own
// base state with set-based queries, compares it with the delta-maintained
// table, and optionally repairs the rows that differ: `repodelta verify`.
//
// A Check per table (named as users know it) has two streams in the same
// key order — the recomputation (want) and the stored rows read with FINAL
// (got) — merged in Go. ClickHouse orders String columns bytewise, as Go
// does, so memory is bounded by the two read-ahead buffers and one summary
// per group (repository) whatever the size: per check and repository the
// row counts and the sum (mod 2^64) of xxhash64 content checksums of both
// sides, and every missing, extra or differing row. Version columns
// (generation, version) are not compared.
//
// What each table is recomputed from (never another projector's tables):
//
//   - packages (packages_current): the newest event of every key in
//     package_history_current — sequence, deleted, project, checksum,
//     version. The other columns are not in the history and are not checked.
//   - package_history: per (repository, sequence), the appeared, changed and
//     disappeared counts against the commit markers of the event log
//     (snapshot_markers records no counts; the markers are read with
//     eventlog.Log.ReadAll keeping one counter per snapshot), for snapshots
//     the packages projector has promoted. Without an event log it is
//     skipped. It cannot be repaired: it is the events themselves.
//   - projects, project_repositories, package_statuses: projects_state
//     (FINAL, deleted = 0) read in project order and classified one project
//     at a time with projects.Classify. first_seen and last_changed of
//     projects are history (no base state holds them) and are not checked.
//   - repositories, statistics: the same classification summed per
//     repository; maintainers counted in projects_state; the last promoted
//     snapshot from projector_watermarks and snapshot_markers.
//   - maintainers, maintainer_repositories (maintainer_counts): the current
//     row of every key of maintainer_packages (argMax by sequence). The
//     display name: most votes, smaller id on a tie, in Go from the ids.
//   - links (link_counts): the current rows of link_packages, plus a zero
//     row for every (URL, kind) any row of the state ever held (orphaned
//     links). orphaned_at is history and is not checked.
//
// Not recomputable, hence not checked: project_history and
// statistics_history (records of what each promotion changed; no base
// state holds the past).
//
// Repair (Options.Repair) touches only the differing keys: ALTER TABLE …
// DELETE of every row of those keys (a mutation, asynchronous on 18.16:
// system.mutations is polled until done), then one insert of the
// recomputed rows at the greatest version left in the table, so the next
// promotion touching them still replaces them; columns not recomputed keep
// the value of the row replaced. packages_current is repaired by deleting
// the rows that hide a key's row of the right snapshot (and extra keys): a
// package's full row cannot be written from package_history, so a missing
// row is reported again until the projection is rebuilt.
//
// Resuming: with Options.RunID, every finished check writes its summaries
// to verify_runs in one block; a run with the same ID skips those checks
// and reports their recorded figures. The granularity is the check: a check
// interrupted midway is done again whole.
package verify
