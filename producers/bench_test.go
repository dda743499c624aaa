package producers_test

import (
	"testing"

	"github.com/repodelta/repodelta/producers"
)

// BenchmarkDiffBookwormToPoint diffs the point release against the loaded
// bookworm state: decompression (xz), parsing, hashing and diffing.
func BenchmarkDiffBookwormToPoint(b *testing.B) {
	old, _ := snapshot(b, producers.NewState(repo), "bookworm_main_amd64_Packages.xz", 0, discard())
	b.ResetTimer()
	for b.Loop() {
		_, c := snapshot(b, old, "bookworm-point_main_amd64_Packages.xz", 0, discard())
		if c.Changed != 1016 {
			b.Fatalf("changed %d", c.Changed)
		}
	}
}
