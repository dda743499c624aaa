// Package links is the links projection: every URL that packages point at
// — homepage, vcs-git, vcs-browser, … — with how many packages, projects
// and repositories point at it as of each repository's last committed
// snapshot, and since when nothing does (the view links). Its tables are
// created by migration schemas/clickhouse/0004_maintainers_links.sql;
// README.md documents the view column by column. It derives everything
// from the events and reads no other projection's tables.
//
// # What a link is
//
// A row of links is a URL in one kind: a URL that is both a homepage and a
// vcs-browser is two rows sharing a link_id. URLs are normalised by
// NormalizeURL (trimmed, scheme and host lower-cased) and kinds by
// NormalizeKind; a URL is identified by ID, cityHash64 of the normalised
// URL as ClickHouse computes it, and stored once in link_urls. A package
// pointing twice at one URL in one kind counts once.
//
// # Apply
//
// Apply follows the consumers.Ledger protocol, as the maintainers
// projection does:
//
//  1. Stage: the URLs of the batch that link_urls lacks are stored there;
//     then every package event becomes a row of links_pending (a package
//     key, its project and its links as ids and kinds; a disappearance: no
//     links), partitioned by (repository_id, sequence).
//  2. Record the batch's commit markers; get the snapshots now complete.
//  3. For each complete snapshot s, in order, after any earlier complete
//     snapshot of its repository not promoted yet (see staged.Projector):
//     a. copy s's staged rows into link_packages, the state, in one block.
//     The state keeps a row per key and promoted snapshot that touched
//     it: the newest is the package now, the newest older than s is what
//     s replaced;
//     b. compute s's delta: per key of s, the entries (URL, kind, project)
//     of the row s brings against those of the row it replaced; the
//     (URL, kind) pairs with an entry on one side only are touched;
//     c. recount those pairs from the state's current rows and write them
//     with one insert into link_counts: one block, one part, so the view
//     shows s whole or not at all. A pair left without packages is
//     orphaned at s's snapshot time, or keeps the time it was orphaned at
//     if it already was (a repeated or replayed snapshot);
//     d. drop the pending partitions of s and of the snapshots aborted
//     since the one it was diffed against.
//  4. Advance the watermarks to s.
//
// # Versions, idempotency, concurrency
//
// link_counts is a ReplacingMergeTree whose version is the sum, over
// repositories, of the newest sequence in the state, read after 3a and
// before 3c: it grows with every promotion that changes the state and with
// nothing else, so counts from a newer state never lose to counts from an
// older one. Re-delivered batches, duplicated events, a promotion cut
// short after 3a and a replay from offset zero all converge to the same
// rows; the maintainers package documentation gives the reasoning, which
// is the same here.
//
// # Cost
//
// Per snapshot: one staging insert per batch (two when URLs are new), one
// INSERT … SELECT into the state, a few small reads, and one insert of a
// row per touched (URL, kind). BenchmarkDeltaVersusRebuild compares the
// bookworm → bookworm-point delta with a rebuild from the whole log.
package links
