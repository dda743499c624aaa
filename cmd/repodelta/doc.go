// Command repodelta parses package repository indexes, publishes the
// packages that changed, and projects them into ClickHouse.
//
// Subcommands: parse and diff (one index, or two snapshots, without
// Kafka); run, ingest and project (the pipeline); rebuild (projections
// replayed into shadow tables and swapped in); verify (derived tables
// recomputed and compared, --repair); status; broker (the embedded
// Kafka-protocol broker alone); bench. The README lists their flags.
//
// This is the only package that reads flags and environment variables:
// global flags each have a REPODELTA_* variable, and REPODELTA_FAILPOINT
// arms the crash tests' failpoint (consumers.ArmFailpoint).
package main
