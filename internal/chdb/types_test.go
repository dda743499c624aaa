package chdb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/testenv"
)

// row holds one value of each column type the projections use.
type row struct {
	S   string
	U   uint64
	D   time.Time
	A   []string
	LC  string
	N   *string
	LCN *string
}

const typesTable = `CREATE TABLE %s.types (
	s String, u UInt64, d DateTime, a Array(String),
	lc LowCardinality(String), n Nullable(String), lcn LowCardinality(Nullable(String))
) ENGINE = MergeTree ORDER BY s`

func ptr(s string) *string { return &s }

func sampleRows() []row {
	at := time.Date(2024, 2, 29, 23, 59, 58, 0, time.UTC)
	return []row{
		{"a'quote\\slash", 1<<64 - 1, at, []string{"x", "y'z", ""}, "main", ptr("null-ish"), ptr("lc")},
		{"b-empty", 0, at.Add(time.Hour), []string{}, "", nil, nil},
		{"c-unicode ☃", 42, at.Add(-24 * time.Hour), []string{"ü"}, "contrib", ptr(""), ptr("")},
	}
}

func selectRows(t *testing.T, conn driver.Conn, query string, args ...any) []row {
	t.Helper()
	rows, err := conn.Query(context.Background(), query, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.S, &r.U, &r.D, &r.A, &r.LC, &r.N, &r.LCN))
		r.D = r.D.UTC()
		out = append(out, r)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestBatchInsertRoundTripsEveryColumnType(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	require.NoError(t, conn.Exec(ctx, fmt.Sprintf(typesTable, db)), "LowCardinality needs Open's compatibility setting on 18.16")

	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+db+".types (s, u, d, a, lc, n, lcn)")
	require.NoError(t, err)
	for _, r := range sampleRows() {
		require.NoError(t, batch.Append(r.S, r.U, r.D, r.A, r.LC, r.N, r.LCN))
	}
	require.NoError(t, batch.Send())

	got := selectRows(t, conn, "SELECT s, u, d, a, lc, n, lcn FROM "+db+".types ORDER BY s")
	assert.Equal(t, sampleRows(), got)
}

func TestClientSideBindingRoundTripsEveryColumnType(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	require.NoError(t, conn.Exec(ctx, fmt.Sprintf(typesTable, db)))

	for _, r := range sampleRows() {
		// INSERT … SELECT, not INSERT … VALUES: see the package comment.
		require.NoError(t, conn.Exec(ctx, "INSERT INTO "+db+".types (s, u, d, a, lc, n, lcn) SELECT ?, ?, ?, ?, ?, ?, ?",
			r.S, r.U, r.D, r.A, r.LC, r.N, r.LCN))
	}
	assert.Equal(t, sampleRows(), selectRows(t, conn, "SELECT s, u, d, a, lc, n, lcn FROM "+db+".types ORDER BY s"))

	want := sampleRows()[0]
	got := selectRows(t, conn, "SELECT s, u, d, a, lc, n, lcn FROM "+db+".types "+
		"WHERE s = ? AND u = ? AND d = ? AND a = ? AND lc = ? AND n = ? AND has(?, s)",
		want.S, want.U, want.D, want.A, want.LC, *want.N, []string{want.S, "other"})
	assert.Equal(t, []row{want}, got)
	assert.Len(t, selectRows(t, conn, "SELECT s, u, d, a, lc, n, lcn FROM "+db+".types WHERE n IS NULL"), 1)
}

func TestBatchWithoutColumnListOnOldServers(t *testing.T) {
	ctx := context.Background()
	conn, db := testenv.ClickHouseDB(t)
	version, err := conn.ServerVersion()
	require.NoError(t, err)
	if version.Version.Major >= 19 {
		t.Skipf("server %s describes insert columns itself", version.Version)
	}
	require.NoError(t, conn.Exec(ctx, "CREATE TABLE "+db+".t (n UInt64) ENGINE = Memory"))
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+db+".t")
	require.NoError(t, err)
	defer func() { _ = batch.Abort() }()
	assert.Error(t, batch.Append(uint64(1)), "18.16 needs the column list in PrepareBatch")
}
