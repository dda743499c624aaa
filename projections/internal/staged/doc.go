// Package staged is the write path that the maintainers and links
// projections share: package events are staged into a pending table
// partitioned by (repository, sequence), and a snapshot becomes visible
// when its commit markers are complete, by one INSERT … SELECT of its
// staged rows into the state table, after any earlier complete snapshot
// of its repository not yet promoted. What differs between projections
// (table and column names, the rows, the recount) is passed in.
package staged
