package stagedtest

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"
)

// Count runs a query returning one number.
func Count(tb testing.TB, conn driver.Conn, query string, args ...any) uint64 {
	tb.Helper()
	var n uint64
	require.NoError(tb, conn.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

// ActiveParts returns the number of active parts of db's table.
func ActiveParts(tb testing.TB, conn driver.Conn, db, table string) uint64 {
	tb.Helper()
	return Count(tb, conn, "SELECT count() FROM system.parts WHERE database = ? AND table = ? AND active", db, table)
}

// Settle waits until the server runs no merge in db, for at most a minute.
func Settle(tb testing.TB, conn driver.Conn, db string) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if Count(tb, conn, "SELECT count() FROM system.merges WHERE database = ?", db) == 0 {
			return
		}
	}
}
