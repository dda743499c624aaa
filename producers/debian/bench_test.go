package debian_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
)

// corpus returns the path of a file in the shared corpus, skipping the
// benchmark when the corpus is not beside the project.
func corpus(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join("..", "..", "..", "shared", "corpus", "debian", name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("corpus file %s: %v", name, err)
	}
	return p
}

// plainCorpus decompresses a corpus index once into the test's temp dir.
func plainCorpus(tb testing.TB, name string) string {
	tb.Helper()
	r, err := input.Open(context.Background(), corpus(tb, name), input.Options{})
	require.NoError(tb, err)
	defer r.Close()
	out := filepath.Join(tb.TempDir(), "Packages")
	f, err := os.Create(out)
	require.NoError(tb, err)
	_, err = f.ReadFrom(r)
	require.NoError(tb, err)
	require.NoError(tb, f.Close())
	return out
}

// BenchmarkScanBookworm parses the uncompressed 50 MB bookworm index,
// checksumming every package: the figure to hold against apt's TagFile.
func BenchmarkScanBookworm(b *testing.B) {
	path := plainCorpus(b, "bookworm_main_amd64_Packages.xz")
	data, err := os.ReadFile(path)
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Open(path)
		require.NoError(b, err)
		n := 0
		err = debian.Scan(context.Background(), f, path, debian.Options{}, func(*producers.Entry) error { n++; return nil })
		require.NoError(b, err)
		f.Close()
		require.Equal(b, 63440, n)
	}
}
