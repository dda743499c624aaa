package producers_test

import (
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
)

// reopen is a new Store on dir, as another process would have: nothing
// cached.
func reopen(t *testing.T, dir string) *producers.Store {
	t.Helper()
	s, err := producers.NewStore(dir)
	require.NoError(t, err)
	return s
}

func TestStoreSavesAndLoadsState(t *testing.T) {
	dir := t.TempDir()
	store, err := producers.NewStore(dir)
	require.NoError(t, err)
	empty, err := store.Load(repo)
	require.NoError(t, err)
	assert.Equal(t, uint64(0), empty.Sequence)

	st, _ := snapshot(t, producers.NewState(repo), "bookworm-security_main_amd64_Packages.xz", 7, discard())
	require.NoError(t, store.Save(st))
	cached, err := store.Load(repo)
	require.NoError(t, err)
	assert.Same(t, st, cached, "the saving process keeps the state in memory")
	got, err := reopen(t, dir).Load(repo)
	require.NoError(t, err)
	assert.Equal(t, st.Sequence, got.Sequence)
	assert.Equal(t, uint64(7), got.Seed)
	assert.Equal(t, st.Counts, got.Counts)
	assert.Equal(t, 3003, got.Counts.Appeared)
	assert.Equal(t, st.Packages, got.Packages)
	assert.Equal(t, st.Checksum(), got.Checksum())
	assert.Equal(t, len(st.Projects), len(got.Projects))
}

func TestACorruptStateFileIsReportedNotTrusted(t *testing.T) {
	dir := t.TempDir()
	store, err := producers.NewStore(dir)
	require.NoError(t, err)
	st, _ := snapshot(t, producers.NewState(repo), "bookworm-updates_main_amd64_Packages.xz", 0, discard())
	require.NoError(t, store.Save(st))
	files, _ := filepath.Glob(filepath.Join(dir, "*.state"))
	require.Len(t, files, 1)
	data, err := os.ReadFile(files[0])
	require.NoError(t, err)
	data[len(data)/2] ^= 0xff
	require.NoError(t, os.WriteFile(files[0], data, 0o644))
	_, err = reopen(t, dir).Load(repo)
	require.ErrorIs(t, err, producers.ErrCorruptState)
	require.NoError(t, os.WriteFile(files[0], data[:len(data)/3], 0o644))
	_, err = reopen(t, dir).Load(repo)
	require.ErrorIs(t, err, producers.ErrCorruptState)
}

func TestStateRebuiltFromTheLogEqualsTheSavedOne(t *testing.T) {
	var log recorder
	s1, _ := snapshot(t, producers.NewState(repo), "bookworm_main_amd64_Packages.xz", 0, &log)
	s2, _ := snapshot(t, s1, "bookworm-point_main_amd64_Packages.xz", 0, &log)
	// An aborted snapshot: started, some events, no commit marker.
	var aborted recorder
	_, _ = snapshot(t, s2, "trixie_main_amd64_Packages.xz", 0, &aborted)
	log = append(log, aborted[:100]...)
	// A foreign repository's events are ignored.
	other := *aborted[1]
	other.Repository.Release = "trixie"
	log = append(log, &other)

	r := producers.NewRebuilder(repo)
	for i := len(log) - 1; i >= 0; i-- { // any order: partitions interleave
		r.Add(log[i])
	}
	got, err := r.State()
	require.NoError(t, err)
	assert.Equal(t, s2.Sequence, got.Sequence)
	// The log does not carry the parser's raw hashes: a rebuilt state
	// holds none, and its next snapshot parses every stanza.
	want := make(map[string]producers.PackageState, len(s2.Packages))
	for k, p := range s2.Packages {
		p.Raw = 0
		want[k] = p
	}
	assert.True(t, maps.Equal(want, got.Packages), "rebuilt packages differ from the saved ones")
	assert.Equal(t, s2.Checksum(), got.Checksum())
}

func TestSpoolReplaysWhatItHolds(t *testing.T) {
	spool, err := producers.NewSpool(t.TempDir())
	require.NoError(t, err)
	var rec recorder
	_, _ = snapshot(t, producers.NewState(repo), "bookworm-updates_main_amd64_Packages.xz", 0, producers.SinkFunc(func(e *events.Envelope) error {
		rec = append(rec, e)
		return spool.Emit(e)
	}))
	i := 0
	require.NoError(t, spool.Replay(func(r producers.Record) error {
		e, err := events.Decode(r.Value)
		require.NoError(t, err)
		assert.Equal(t, rec[i].ID(), e.ID())
		assert.Equal(t, rec[i].Project, r.Project)
		assert.Equal(t, rec[i].Type, r.Type)
		i++
		return nil
	}))
	assert.Equal(t, len(rec), i)
	require.NoError(t, spool.Close())
	require.NoError(t, spool.Close(), "close is idempotent")
}
