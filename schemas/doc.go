// Package schemas embeds repodelta's schema files: the JSON Schema of every
// event type and version (events/) and the versioned ClickHouse migrations
// (clickhouse/), so the binary carries exactly the schemas it was built with.
package schemas
