package eventlog_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/eventlog"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
)

var repo = events.Repository{Name: "security", Family: "debian", Distribution: "debian", Release: "bookworm-security", Component: "main", Architecture: "amd64"}

func corpus(name string) string {
	return filepath.Join("..", "..", "..", "shared", "corpus", "debian", name)
}

func request(file string) producers.Request {
	return producers.Request{
		Repository: repo, Source: file, Guard: producers.DefaultGuard,
		Scan: debian.Scanner(corpus(file), debian.Options{}, input.Options{}),
	}
}

func openLog(t *testing.T) *eventlog.Log {
	t.Helper()
	l, err := eventlog.Open(context.Background(), eventlog.Config{Brokers: testenv.Kafka(t), Topic: testenv.Topic(t), Partitions: 4})
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l
}

func readAll(t *testing.T, l *eventlog.Log) []*events.Envelope {
	t.Helper()
	var out []*events.Envelope
	require.NoError(t, l.ReadAll(context.Background(), func(e *events.Envelope) error { out = append(out, e); return nil }))
	return out
}

func TestIngestPublishesTheDeltaWithMarkersOnEveryPartition(t *testing.T) {
	ctx := context.Background()
	l := openLog(t)
	store, err := producers.NewStore(t.TempDir())
	require.NoError(t, err)
	in := &producers.Ingester{Store: store, Log: l, SpoolDir: t.TempDir(), Now: func() time.Time { return time.Unix(1700000000, 0) }}

	first, err := in.Ingest(ctx, request("bookworm-security_main_amd64_Packages.xz"))
	require.NoError(t, err)
	assert.Equal(t, uint64(1), first.Sequence)
	assert.Equal(t, 3003, first.Counts.Appeared)

	again, err := in.Ingest(ctx, request("bookworm-security_main_amd64_Packages.xz"))
	require.NoError(t, err)
	assert.Equal(t, uint64(2), again.Sequence)
	assert.Equal(t, 0, again.Counts.Events(), "nothing changed: only markers")

	log := readAll(t, l)
	perType := map[events.Type]int{}
	markerParts := map[int32]int{}
	for _, e := range log {
		perType[e.Type]++
		if e.Type == events.SnapshotCommitted {
			markerParts[e.Marker.Partition]++
			assert.Equal(t, int32(4), e.Marker.Partitions)
		}
	}
	assert.Equal(t, 3003, perType[events.PackageAppeared])
	assert.Equal(t, 0, perType[events.PackageChanged])
	assert.Equal(t, 8, perType[events.SnapshotCommitted], "two snapshots, four partitions")
	assert.Equal(t, map[int32]int{0: 2, 1: 2, 2: 2, 3: 2}, markerParts)

	rb := producers.NewRebuilder(repo)
	for _, e := range log {
		rb.Add(e)
	}
	rebuilt, err := rb.State()
	require.NoError(t, err)
	saved, err := store.Load(repo)
	require.NoError(t, err)
	assert.Equal(t, saved.Sequence, rebuilt.Sequence)
	assert.Equal(t, withoutRaw(saved.Packages), rebuilt.Packages, "the state can be rebuilt from the log")
}

// failingLog accepts the first n messages, then fails: a crash mid-publish.
type failingLog struct {
	*eventlog.Log
	n int
}

func (f *failingLog) Append(ctx context.Context, msgs []producers.Message) error {
	if len(msgs) > f.n {
		if f.n > 0 {
			_ = f.Log.Append(ctx, msgs[:f.n])
		}
		f.n = 0
		return assert.AnError
	}
	f.n -= len(msgs)
	return f.Log.Append(ctx, msgs)
}

func TestAnInterruptedPublishIsAbandonedAndTheNextSnapshotRecovers(t *testing.T) {
	ctx := context.Background()
	l := openLog(t)
	store, err := producers.NewStore(t.TempDir())
	require.NoError(t, err)
	good := &producers.Ingester{Store: store, Log: l, SpoolDir: t.TempDir()}
	_, err = good.Ingest(ctx, request("bookworm-updates_main_amd64_Packages.xz"))
	require.NoError(t, err)

	// Snapshot 2 (security replaces updates, forced) dies after 100 messages.
	req := request("bookworm-security_main_amd64_Packages.xz")
	req.Guard.Force = true
	crashing := &producers.Ingester{Store: store, Log: &failingLog{Log: l, n: 100}, SpoolDir: t.TempDir(), BatchSize: 50}
	_, err = crashing.Ingest(ctx, req)
	require.Error(t, err)

	// The next ingest rebuilds the state from the log and uses sequence 3.
	res, err := good.Ingest(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), res.Sequence)
	st, err := store.Load(repo)
	require.NoError(t, err)
	assert.Len(t, st.Packages, 3003)

	rb := producers.NewRebuilder(repo)
	for _, e := range readAll(t, l) {
		rb.Add(e)
	}
	rebuilt, err := rb.State()
	require.NoError(t, err)
	assert.Equal(t, withoutRaw(st.Packages), rebuilt.Packages, "snapshot 2 never committed; 3 was diffed against 1")
}

// withoutRaw drops the parser's raw hashes, which the log does not carry:
// a state rebuilt from the log has none.
func withoutRaw(packages map[string]producers.PackageState) map[string]producers.PackageState {
	out := make(map[string]producers.PackageState, len(packages))
	for k, p := range packages {
		p.Raw = 0
		out[k] = p
	}
	return out
}
