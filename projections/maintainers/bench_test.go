package maintainers_test

import (
	"testing"

	"github.com/repodelta/repodelta/projections/internal/stagedtest"
	"github.com/repodelta/repodelta/projections/maintainers"
)

// BenchmarkDeltaVersusRebuild: see stagedtest.DeltaVersusRebuild. Run it
// with -benchtime 1x (or a few x).
func BenchmarkDeltaVersusRebuild(b *testing.B) {
	stagedtest.DeltaVersusRebuild(b, func(db string) stagedtest.Applier { return maintainers.New(db) })
}
