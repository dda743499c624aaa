package producers_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
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

// BenchmarkDiffUncompressedBookwormToPoint is the same from the
// uncompressed point index: what the delta costs besides decompression.
// Stanzas listed in bookworm byte for byte are only read lightly.
func BenchmarkDiffUncompressedBookwormToPoint(b *testing.B) {
	old, _ := snapshot(b, producers.NewState(repo), "bookworm_main_amd64_Packages.xz", 0, discard())
	plain := uncompressed(b, "bookworm-point_main_amd64_Packages.xz")
	b.ResetTimer()
	for b.Loop() {
		snap := producers.Snapshot{Repository: repo, Sequence: old.Sequence + 1, Time: time.Unix(1700000000, 0).UTC(), Source: plain}
		_, c, err := producers.Diff(context.Background(), old, snap, producers.Guard{},
			debian.Scanner(plain, debian.Options{}, input.Options{}), discard())
		require.NoError(b, err)
		if c.Changed != 1016 {
			b.Fatalf("changed %d", c.Changed)
		}
	}
}

// uncompressed writes the decompressed corpus file name to a temporary
// directory and returns its path.
func uncompressed(b *testing.B, name string) string {
	b.Helper()
	r, err := input.Open(context.Background(), corpus(b, name), input.Options{})
	require.NoError(b, err)
	defer r.Close()
	path := filepath.Join(b.TempDir(), "Packages")
	f, err := os.Create(path)
	require.NoError(b, err)
	defer f.Close()
	_, err = f.ReadFrom(r)
	require.NoError(b, err)
	return path
}
