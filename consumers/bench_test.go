package consumers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/projections/packages"
)

// BenchmarkProjectorInitialLoad runs the whole projector path — fetch from
// the embedded broker, decode, apply, commit — over bookworm's first
// snapshot (63,440 appeared events on 12 partitions) into an empty
// database, with the packages projection, and reports events per second.
func BenchmarkProjectorInitialLoad(b *testing.B) {
	story, err := projectortest.Tell(context.Background(), 12, 1, []projectortest.Take{{
		Name: "bookworm-1", Repository: projectortest.CorpusRepository, Sequence: 1,
		Index: projectortest.Corpus("bookworm_main_amd64_Packages.xz"),
	}})
	require.NoError(b, err)
	w := &world{brokers: testenv.Kafka(b), topic: testenv.Topic(b), story: story}
	w.publish(b, nil)

	loads := 0
	for b.Loop() {
		b.StopTimer()
		conn, db := projectortest.Database(b)
		cfg := w.config()
		cfg.BatchSize = 5000
		cfg.MaxWait = 200 * time.Millisecond
		proj := newProjector(b, packages.NewNamed(db, fmt.Sprintf("bench-%s-%d", w.topic, loads)), conn, cfg)
		b.StartTimer()
		require.NoError(b, run(b, proj))
		loads++
	}
	b.ReportMetric(float64(w.records*int64(loads))/b.Elapsed().Seconds(), "records/s")
}
