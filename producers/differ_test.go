package producers_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
)

var repo = events.Repository{Name: "bookworm", Family: "debian", Distribution: "debian", Release: "bookworm", Component: "main", Architecture: "amd64"}

func corpus(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "corpus", "debian", name)
	_, err := os.Stat(p)
	require.NoError(t, err, "the shared corpus is beside the project")
	return p
}

// recorder is a Sink keeping every event.
type recorder []*events.Envelope

func (r *recorder) Emit(e *events.Envelope) error { *r = append(*r, e); return nil }

func (r recorder) count(t events.Type) int {
	n := 0
	for _, e := range r {
		if e.Type == t {
			n++
		}
	}
	return n
}

// snapshot diffs the corpus index file against prev.
func snapshot(t testing.TB, prev *producers.State, file string, seed uint64, sink producers.Sink) (*producers.State, events.Counts) {
	t.Helper()
	snap := producers.Snapshot{Repository: repo, Sequence: prev.Sequence + 1, Time: time.Unix(1700000000, 0).UTC(), Source: file, Seed: seed}
	st, counts, err := producers.Diff(context.Background(), prev, snap, producers.Guard{},
		debian.Scanner(corpus(t, file), debian.Options{Seed: seed}, input.Options{}), sink)
	require.NoError(t, err)
	return st, counts
}

func discard() producers.Sink {
	return producers.SinkFunc(func(*events.Envelope) error { return nil })
}

func TestBookwormToPointReleaseMatchesTheCorpusFacts(t *testing.T) {
	old, _ := snapshot(t, producers.NewState(repo), "bookworm_main_amd64_Packages.xz", 0, discard())
	var rec recorder
	_, c := snapshot(t, old, "bookworm-point_main_amd64_Packages.xz", 0, &rec)
	assert.Equal(t, 62420, c.Unchanged)
	assert.Equal(t, 1016, c.Changed, "name+architecture keys with a newer version")
	assert.Equal(t, 230, c.Appeared, "new keys")
	// No name+architecture disappears, but bookworm listed four packages at a
	// second, older version: those versions (and only they) are gone.
	assert.Equal(t, 4, c.Disappeared)
	for _, e := range rec {
		if e.Type == events.PackageDisappeared {
			assert.Contains(t, e.Key, "@6.1.170-3")
		}
	}
	assert.Equal(t, 63666, c.Packages)
	assert.Equal(t, c.Events()+2, len(rec), "package events bracketed by two markers")
	assert.Equal(t, events.SnapshotStarted, rec[0].Type)
	last := rec[len(rec)-1]
	require.Equal(t, events.SnapshotCommitted, last.Type)
	assert.Equal(t, c, last.Marker.Counts)
	assert.Equal(t, uint64(1), last.Marker.PreviousSequence)
}

func TestBookwormToTrixieMatchesTheCorpusFacts(t *testing.T) {
	old, _ := snapshot(t, producers.NewState(repo), "bookworm_main_amd64_Packages.xz", 0, discard())
	_, c := snapshot(t, old, "trixie_main_amd64_Packages.xz", 0, discard())
	assert.Equal(t, 11150, c.Unchanged)
	assert.Equal(t, 43437, c.Changed)
	assert.Equal(t, 14233+5, c.Appeared, "new keys, and trixie's five second versions")
	assert.Equal(t, 8849+4, c.Disappeared, "gone keys, and bookworm's four second versions")
	assert.Equal(t, 68825, c.Packages)
}

func TestTheSameIndexTwiceEmitsOnlyMarkers(t *testing.T) {
	old, first := snapshot(t, producers.NewState(repo), "bookworm-security_main_amd64_Packages.xz", 0, discard())
	var rec recorder
	_, c := snapshot(t, old, "bookworm-security_main_amd64_Packages.xz", 0, &rec)
	assert.Equal(t, 0, c.Events())
	assert.Equal(t, first.Packages, c.Unchanged)
	assert.Len(t, rec, 2)
}

func TestBumpingTheSeedChangesEveryPackageOnce(t *testing.T) {
	old, first := snapshot(t, producers.NewState(repo), "bookworm-security_main_amd64_Packages.xz", 0, discard())
	bumped, c := snapshot(t, old, "bookworm-security_main_amd64_Packages.xz", 1, discard())
	assert.Equal(t, first.Packages, c.Changed)
	assert.Equal(t, 0, c.Appeared+c.Disappeared+c.Unchanged)
	_, again := snapshot(t, bumped, "bookworm-security_main_amd64_Packages.xz", 1, discard())
	assert.Equal(t, 0, again.Events(), "the next ingest with the same seed is quiet again")
}

func TestTheGuardRefusesAFloodOfRemovals(t *testing.T) {
	old, _ := snapshot(t, producers.NewState(repo), "bookworm-security_main_amd64_Packages.xz", 0, discard())
	empty := filepath.Join(t.TempDir(), "Packages")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	scan := debian.Scanner(empty, debian.Options{}, input.Options{})
	snap := producers.Snapshot{Repository: repo, Sequence: 2}

	_, _, err := producers.Diff(context.Background(), old, snap, producers.DefaultGuard, scan, discard())
	require.ErrorIs(t, err, producers.ErrRefused)
	assert.Contains(t, err.Error(), "would remove 3003 of 3003")

	_, _, err = producers.Diff(context.Background(), old, snap, producers.Guard{MinPackages: 10}, scan, discard())
	require.ErrorIs(t, err, producers.ErrRefused)
	assert.Contains(t, err.Error(), "below minpackages 10")

	var rec recorder
	_, c, err := producers.Diff(context.Background(), old, snap, producers.Guard{MaxRemovalShare: 0.5, Force: true}, scan, &rec)
	require.NoError(t, err)
	assert.Equal(t, 3003, c.Disappeared)
	assert.True(t, rec[0].Marker.Forced)
}

func TestABrokenIndexLeavesTheSpoolUnpublished(t *testing.T) {
	src, err := os.ReadFile(corpus(t, "bookworm-security_main_amd64_Packages.xz"))
	require.NoError(t, err)
	broken := filepath.Join(t.TempDir(), "Packages.xz")
	require.NoError(t, os.WriteFile(broken, src[:len(src)-100], 0o644))
	spool, err := producers.NewSpool(t.TempDir())
	require.NoError(t, err)
	defer spool.Close()
	_, _, err = producers.Diff(context.Background(), producers.NewState(repo), producers.Snapshot{Repository: repo, Sequence: 1},
		producers.Guard{}, debian.Scanner(broken, debian.Options{}, input.Options{}), spool)
	require.Error(t, err)
	assert.Contains(t, err.Error(), broken)
	assert.Greater(t, spool.Len(), 0, "events were spooled while reading…")
	// …and the caller drops the spool instead of replaying it: nothing is published.
}
