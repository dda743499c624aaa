// Package maintainers is the maintainers projection: for every maintainer,
// how many packages, projects and repositories they maintain or upload, as
// of each repository's last committed snapshot — over all repositories
// (the view maintainers) and per repository (the view
// maintainer_repositories). Its tables are created by migration
// schemas/clickhouse/0004_maintainers_links.sql; README.md documents the
// views column by column. It derives everything from the events and reads
// no other projection's tables.
//
// # Who counts
//
// A package's Maintainer counts in the num_* columns, each of its
// Uploaders (Debian source packages) in the num_*_uploader columns; one
// person in both roles of a package counts in both. People are normalised
// by Normalize — the e-mail lower-cased, or without one the name — and
// identified by ID, cityHash64 of that string as ClickHouse computes it.
// The display name is the one most of the maintainer's current package
// entries give, the smaller id on a tie.
//
// # Apply
//
// Apply follows the consumers.Ledger protocol:
//
//  1. Stage: the maintainers and display names of the batch that
//     maintainer_strings lacks are stored there; then every package event
//     becomes a row of maintainers_pending (a package key, its project and
//     its people as ids; a disappearance: no people), partitioned by
//     (repository_id, sequence).
//  2. Record the batch's commit markers; get the snapshots now complete.
//  3. For each complete snapshot s, in order: first promote any earlier
//     complete snapshot of its repository that the watermark does not show
//     yet (another process may have completed it and not promoted it yet;
//     see staged.Projector). Then:
//     a. copy s's staged rows into maintainer_packages, the state, in one
//     block. The state keeps a row per key and promoted snapshot that
//     touched it: the newest is the package now, and the newest older
//     than s is what s replaced;
//     b. compute s's delta: per key of s, the entries (maintainer, role,
//     display name, project) of the row s brings against those of the row
//     it replaced. The maintainers with an entry on one side only are the
//     ones whose counts may change; a version bump touches nobody;
//     c. recount those maintainers from the state's current rows, over all
//     repositories and in s's repository, and write the rows with one
//     insert into maintainer_counts: one block, one part, so both views
//     show s whole or not at all;
//     d. drop the pending partitions of s and of the snapshots aborted
//     since the one it was diffed against.
//  4. Advance the watermarks to s.
//
// # Versions
//
// maintainer_counts is a ReplacingMergeTree whose version is the sum, over
// repositories, of the newest sequence in the state, read after the
// promotion (3a) and before the recount (3c). Every promotion that changes
// the state raises it (snapshots of a repository are promoted in order,
// with newer sequences) and nothing else does, so counts computed from a
// newer state never lose to counts computed from an older one, whichever
// process writes last; counts written again from the same state are
// identical. The sequence of one repository could not order rows that
// span several.
//
// # Idempotency and concurrency
//
// Re-staged events are identical rows; a snapshot promoted again adds
// state rows identical to those it added before, finds the same delta
// (what it replaced is older than it and stays in the state) and writes
// the same counts. A promotion cut short after 3a is completed by the
// re-delivered batch: the delta does not depend on whether 3a happened.
// A replay from offset zero promotes old snapshots again: their state rows
// are older than the current ones, their deltas recount maintainers from
// the current state, and nothing changes. Several processes may apply at
// once; an aborted snapshot is never promoted.
//
// # Cost
//
// Per snapshot: one staging insert per batch (two when strings are new),
// then one INSERT … SELECT into the state, two small reads for the delta,
// one read of the version, one read of the current rows of the packages
// naming the touched maintainers, and one insert of two rows per touched
// maintainer. A point release touching a handful of maintainers writes a
// handful of rows; the whole table is never rewritten.
// BenchmarkDeltaVersusRebuild compares the bookworm → bookworm-point delta
// with a rebuild from the whole log.
package maintainers
