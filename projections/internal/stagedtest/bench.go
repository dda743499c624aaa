package stagedtest

import (
	"testing"
	"time"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
)

// DeltaVersusRebuild measures the two ways of reaching the same tables
// after bookworm moves to bookworm-point (1,250 package events): applying
// that delta to tables holding bookworm and trixie, at rest (their
// background merges done, as hours between snapshots leave them), and
// rebuilding from the whole log (bookworm, trixie, bookworm-point:
// 133,515 package events) into a fresh database. Both apply batches of
// 5,000 events, staging and promotion included. ns/op and ms/delta are
// the delta; ms/rebuild the rebuild, and rebuild/delta their ratio. Each
// iteration builds two databases with newProjection: run it with
// -benchtime 1x (or a few x).
func DeltaVersusRebuild(b *testing.B, newProjection func(database string) Applier) {
	s := Story(b)
	var delta, rebuild time.Duration
	b.StopTimer()
	for range b.N {
		conn, db := projectortest.Database(b)
		p := newProjection(db)
		Apply(b, p, conn, append(append([]consumers.Event(nil), s.Steps[0].Events...), s.Steps[1].Events...))
		Settle(b, conn, db)
		start := time.Now()
		b.StartTimer()
		Apply(b, p, conn, s.Steps[2].Events)
		b.StopTimer()
		delta += time.Since(start)

		conn, db = projectortest.Database(b)
		start = time.Now()
		Apply(b, newProjection(db), conn, s.All())
		rebuild += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(float64(delta.Milliseconds())/n, "ms/delta")
	b.ReportMetric(float64(rebuild.Milliseconds())/n, "ms/rebuild")
	b.ReportMetric(rebuild.Seconds()/delta.Seconds(), "rebuild/delta")
}
