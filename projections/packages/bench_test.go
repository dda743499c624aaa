package packages_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/packages"
)

// BenchmarkInitialLoad applies bookworm's first snapshot — 63,440
// appeared events spread over 12 partitions, plus the markers — in
// batches of 5,000 into an empty database, staging and promotion included,
// and reports package events per second.
func BenchmarkInitialLoad(b *testing.B) {
	ctx := context.Background()
	story, err := projectortest.Tell(ctx, 12, 1, []projectortest.Take{{
		Name: "bookworm-1", Repository: projectortest.CorpusRepository, Sequence: 1,
		Index: projectortest.Corpus("bookworm_main_amd64_Packages.xz"),
	}})
	require.NoError(b, err)
	evs := story.All()
	packageEvents := 0
	for _, e := range evs {
		if !e.Type.IsMarker() {
			packageEvents++
		}
	}
	batches := projectortest.Batches(evs, 5000)

	loads := 0
	for b.Loop() {
		b.StopTimer()
		conn, db := projectortest.Database(b)
		p := packages.New(db)
		b.StartTimer()
		for _, batch := range batches {
			require.NoError(b, p.Apply(ctx, conn, batch))
		}
		loads++
	}
	b.ReportMetric(float64(packageEvents*loads)/b.Elapsed().Seconds(), "events/s")
}
