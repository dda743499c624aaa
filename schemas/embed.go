package schemas

import "embed"

// ClickHouse holds the versioned ClickHouse migrations, clickhouse/NNNN_name.sql,
// with {{db}} standing for the target database. Apply them with
// chdb.Migrate(ctx, conn, schemas.ClickHouse, "clickhouse", database).
//
//go:embed clickhouse/*.sql
var ClickHouse embed.FS
