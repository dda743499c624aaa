package projects_test

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/projects"
)

// The target: applying the bookworm → bookworm-point delta is at
// least 20 times faster than rebuilding everything from the log. Compare
// the two benchmarks' ns/op:
//
//	go test ./projections/projects -run '^$' -bench . -benchtime 5x

// BenchmarkPointReleaseDelta applies the bookworm → bookworm-point
// snapshot (1,258 events, in batches of 5,000) to a database that holds
// bookworm and trixie, once the background merges of that load are over
// (the next snapshot of a repository comes hours after the last).
func BenchmarkPointReleaseDelta(b *testing.B) {
	s := story(b)
	base, delta := append(append([]consumers.Event(nil), s.Steps[0].Events...), s.Steps[1].Events...), s.Steps[2].Events
	for b.Loop() {
		b.StopTimer()
		conn, db := projectortest.Database(b)
		p := projects.New(db)
		applyAll(b, p, conn, base, 5000)
		waitForMerges(b, conn, db)
		b.StartTimer()
		applyAll(b, p, conn, delta, 5000)
	}
	b.ReportMetric(float64(len(delta)), "events/op")
}

// BenchmarkRebuild applies the whole log — bookworm, trixie, then
// bookworm-point: 133,539 events in batches of 5,000 — to a fresh
// database.
func BenchmarkRebuild(b *testing.B) {
	evs := story(b).All()
	for b.Loop() {
		b.StopTimer()
		conn, db := projectortest.Database(b)
		p := projects.New(db)
		b.StartTimer()
		applyAll(b, p, conn, evs, 5000)
	}
	b.ReportMetric(float64(len(evs)), "events/op")
}

// waitForMerges waits, for at most a minute, until the server runs no
// merge in database db.
func waitForMerges(tb testing.TB, conn driver.Conn, db string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		var n uint64
		require.NoError(tb, conn.QueryRow(ctx, "SELECT count() FROM system.merges WHERE database = ?", db).Scan(&n))
		if n == 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
