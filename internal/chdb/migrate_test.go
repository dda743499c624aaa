package chdb_test

import (
	"context"
	"os"
	"testing"
	"testing/fstest"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/schemas"
)

func queryStrings(t *testing.T, conn driver.Conn, query string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestMigrateAppliesInOrderOnceAndRecords(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	fsys := os.DirFS("testdata")

	applied, err := chdb.Migrate(ctx, conn, fsys, "migrations", db)
	require.NoError(t, err)
	assert.Equal(t, []string{"0001_packages", "0002_history"}, applied)

	assert.Equal(t, []string{"history", "packages", "packages_current", "schema_migrations"},
		queryStrings(t, conn, "SELECT name FROM system.tables WHERE database = ? ORDER BY name", db))
	assert.Equal(t, []string{"0001_packages", "0002_history"},
		queryStrings(t, conn, "SELECT name FROM "+db+".schema_migrations ORDER BY version"))
	assert.Equal(t, []string{"it's; here"}, queryStrings(t, conn, "SELECT name FROM "+db+".history"))

	again, err := chdb.Migrate(ctx, conn, fsys, "migrations", db)
	require.NoError(t, err)
	assert.Empty(t, again, "a second run applies nothing")
	assert.Equal(t, []string{"it's; here"}, queryStrings(t, conn, "SELECT name FROM "+db+".history"),
		"no migration ran twice")
}

func TestMigrateRefusesAChangedMigration(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	fsys := fstest.MapFS{
		"m/0001_a.sql": {Data: []byte("CREATE TABLE {{db}}.a (x UInt8) ENGINE = Memory")},
	}
	_, err := chdb.Migrate(ctx, conn, fsys, "m", db)
	require.NoError(t, err)

	fsys["m/0001_a.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE {{db}}.a (x UInt16) ENGINE = Memory")}
	fsys["m/0002_b.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE {{db}}.b (x UInt8) ENGINE = Memory")}
	applied, err := chdb.Migrate(ctx, conn, fsys, "m", db)
	require.ErrorIs(t, err, chdb.ErrChangedMigration)
	assert.Contains(t, err.Error(), "m/0001_a.sql")
	assert.Empty(t, applied)
	assert.Equal(t, []string{"a", "schema_migrations"},
		queryStrings(t, conn, "SELECT name FROM system.tables WHERE database = ? ORDER BY name", db),
		"nothing is applied after a changed migration is found")
}

func TestMigrateRetriesAFailedMigrationWhole(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	fsys := fstest.MapFS{
		"m/0001_ok.sql": {Data: []byte("CREATE TABLE {{db}}.ok (x UInt8) ENGINE = Memory")},
		"m/0002_broken.sql": {Data: []byte(
			"CREATE TABLE IF NOT EXISTS {{db}}.first (x UInt8) ENGINE = Memory;\nCREATE TABLE {{db}}.second (x Nope) ENGINE = Memory")},
	}
	applied, err := chdb.Migrate(ctx, conn, fsys, "m", db)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "applying migration m/0002_broken.sql statement 2 of 2")
	assert.False(t, chdb.Retryable(err), "an unknown type is permanent")
	assert.Equal(t, []string{"0001_ok"}, applied)

	fsys["m/0002_broken.sql"] = &fstest.MapFile{Data: []byte(
		"CREATE TABLE IF NOT EXISTS {{db}}.first (x UInt8) ENGINE = Memory;\nCREATE TABLE {{db}}.second (x UInt8) ENGINE = Memory")}
	applied, err = chdb.Migrate(ctx, conn, fsys, "m", db)
	require.NoError(t, err, "an unrecorded migration may still be edited")
	assert.Equal(t, []string{"0002_broken"}, applied)
}

func TestMigrateRefusesBadMigrationSets(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr []string
	}{
		{"a misnamed sql file", fstest.MapFS{"m/1-init.sql": {Data: []byte("SELECT 1")}},
			[]string{"m/1-init.sql: name is not NNNN_name.sql"}},
		{"two files of one version", fstest.MapFS{
			"m/0001_a.sql": {Data: []byte("SELECT 1")}, "m/001_b.sql": {Data: []byte("SELECT 1")}},
			[]string{"share version 1"}},
		{"an unknown placeholder", fstest.MapFS{"m/0001_a.sql": {Data: []byte("CREATE TABLE {{database}}.a")}},
			[]string{"unknown placeholder"}},
		{"every problem at once", fstest.MapFS{
			"m/x.sql": {Data: []byte("")}, "m/0001_a.sql": {Data: []byte("{{x}}")}},
			[]string{"m/x.sql", "m/0001_a.sql: unknown placeholder"}},
		{"a missing directory", fstest.MapFS{}, []string{"loading migrations from m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The files are checked before the server is asked anything.
			_, err := chdb.Migrate(context.Background(), nil, tt.files, "m", "unused")
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestMigrateRefusesAnUnsafeDatabaseName(t *testing.T) {
	_, err := chdb.Migrate(context.Background(), nil, fstest.MapFS{}, "m", "x; DROP DATABASE y")
	require.ErrorContains(t, err, "not a plain identifier")
}

func TestProductMigrationsApplyTwice(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	applied, err := chdb.Migrate(ctx, conn, schemas.ClickHouse, "clickhouse", db)
	require.NoError(t, err)
	assert.Contains(t, applied, "0000_database")
	again, err := chdb.Migrate(ctx, conn, schemas.ClickHouse, "clickhouse", db)
	require.NoError(t, err)
	assert.Empty(t, again)
}
