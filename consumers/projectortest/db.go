package projectortest

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/schemas"
)

// Database gives the test a fresh database on the shared test ClickHouse
// with every migration applied, and a connection to it (see
// testenv.ClickHouseDB).
func Database(t testing.TB) (driver.Conn, string) {
	t.Helper()
	conn, db := testenv.ClickHouseDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := chdb.Migrate(ctx, conn, schemas.ClickHouse, "clickhouse", db); err != nil {
		t.Fatalf("migrating %s: %v", db, err)
	}
	return conn, db
}
