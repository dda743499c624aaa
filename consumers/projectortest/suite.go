package projectortest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
)

// Harness is what the suite needs of a projection.
type Harness struct {
	// New returns the projection under test, writing to database, which
	// has every migration applied.
	New func(database string) consumers.Projection
	// Surface is the projection's query surface: the queries whose results
	// are what readers see.
	Surface []Query
	// Golden is the directory of the golden files, one <query name>.golden
	// per Surface query: the rows of GoldenStory.
	Golden string
	// Update rewrites the golden files instead of comparing with them.
	Update bool
}

// Run runs the suite every projection passes, against the real ClickHouse
// of testenv: golden events in, golden rows out; applying a batch twice
// changes nothing; duplicated records and a replay from offset zero
// converge to the same rows; an aborted snapshot never shows; a reader
// querying while a snapshot is applied in several batches sees the
// previous snapshot or the next, never half of one.
func Run(t *testing.T, h Harness) {
	ctx := context.Background()
	golden, err := GoldenStory(ctx)
	require.NoError(t, err)
	corpus, err := CorpusStory(ctx, 7, 0)
	require.NoError(t, err)
	want := newTarget(t, h).apply(corpus.All(), 997).dump()

	t.Run("golden events give the golden rows", func(t *testing.T) {
		got := newTarget(t, h).apply(golden.All(), 7).dump()
		for _, q := range h.Surface {
			path := filepath.Join(h.Golden, q.Name+".golden")
			if h.Update {
				require.NoError(t, os.WriteFile(path, []byte(got[q.Name]), 0o644))
				continue
			}
			b, err := os.ReadFile(path)
			require.NoError(t, err, "run the test with -update to write the golden files")
			assert.Equal(t, string(b), got[q.Name], "%s differs from %s (-update rewrites it)", q.Name, path)
		}
	})
	t.Run("applying every batch twice changes nothing", func(t *testing.T) {
		x := newTarget(t, h)
		for _, b := range Batches(corpus.All(), 500) {
			x.applyBatch(b).applyBatch(b)
		}
		AssertSameDump(t, want, x.dump())
	})
	t.Run("duplicated records and another interleaving converge to the same rows", func(t *testing.T) {
		dup, err := CorpusStory(ctx, 11, 0.05)
		require.NoError(t, err)
		AssertSameDump(t, want, newTarget(t, h).apply(dup.All(), 500).dump())
	})
	t.Run("a replay from offset zero converges to the same rows", func(t *testing.T) {
		x := newTarget(t, h).apply(corpus.All(), 1500)
		AssertSameDump(t, want, x.dump())
		AssertSameDump(t, want, x.apply(corpus.All(), 333).dump())
	})
	t.Run("processes splitting the partitions between them converge", func(t *testing.T) {
		testSplit(t, h, corpus, want)
	})
	t.Run("an aborted snapshot never shows", func(t *testing.T) {
		testAborted(t, h, corpus, want)
	})
	t.Run("a reader never sees half a snapshot", func(t *testing.T) {
		testReader(t, h, corpus)
	})
}

func testAborted(t *testing.T, h Harness, corpus *Story, want Dump) {
	x := newTarget(t, h)
	for _, st := range corpus.Steps {
		before := x.dump()
		x.apply(st.Events, 256)
		if st.Aborted {
			AssertSameDump(t, before, x.dump())
		}
	}
	AssertSameDump(t, want, x.dump())
}

// testSplit applies the log as two processes sharing the consumer group
// would: one takes the even partitions, the other the odd ones, both at
// once, each with its own projection value.
func testSplit(t *testing.T, h Harness, corpus *Story, want Dump) {
	x := newTarget(t, h)
	var streams [2][]consumers.Event
	for _, e := range corpus.All() {
		streams[e.Partition%2] = append(streams[e.Partition%2], e)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(streams))
	for i, stream := range streams {
		p := h.New(x.db)
		wg.Go(func() {
			for _, b := range Batches(stream, 200) {
				if errs[i] = p.Apply(context.Background(), x.conn, b); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	AssertSameDump(t, want, x.dump())
}

// testReader applies the 3,003-package snapshot in a dozen batches while a
// reader dumps the surface over and over. Until the last batch, which
// holds the last commit marker, the surface must not have changed at all.
func testReader(t *testing.T, h Harness, corpus *Story) {
	x := newTarget(t, h).apply(corpus.Steps[0].Events, 500)
	before := x.dump()
	big := corpus.Steps[1].Events
	batches := Batches(big, len(big)/12+1)

	ctx, cancel := context.WithCancel(context.Background())
	var (
		wg   sync.WaitGroup
		seen []Dump
		errs []error
	)
	wg.Go(func() {
		for ctx.Err() == nil {
			d, err := DumpSurface(ctx, x.conn, x.db, h.Surface)
			switch {
			case err == nil:
				seen = append(seen, d)
			case ctx.Err() == nil:
				errs = append(errs, err)
			}
		}
	})
	for i, b := range batches {
		x.applyBatch(b)
		if i < len(batches)-1 {
			AssertSameDump(t, before, x.dump())
		}
	}
	time.Sleep(100 * time.Millisecond) // a few reads after the last batch too
	cancel()
	wg.Wait()
	after := x.dump()
	require.Empty(t, errs)
	require.NotEmpty(t, seen)
	for _, d := range seen {
		for name, text := range d {
			if text != before[name] && text != after[name] {
				t.Errorf("a reader saw %s neither before nor after the snapshot: %s", name, firstDifference(before[name], text))
			}
		}
	}
	t.Logf("%d reads while %d batches were applied", len(seen), len(batches))
}

// target is a projection under test with its own database.
type target struct {
	t    testing.TB
	h    Harness
	conn driver.Conn
	db   string
	p    consumers.Projection
}

func newTarget(t testing.TB, h Harness) *target {
	conn, db := Database(t)
	return &target{t: t, h: h, conn: conn, db: db, p: h.New(db)}
}

func (x *target) apply(evs []consumers.Event, size int) *target {
	for _, b := range Batches(evs, size) {
		x.applyBatch(b)
	}
	return x
}

func (x *target) applyBatch(b []consumers.Event) *target {
	x.t.Helper()
	require.NoError(x.t, x.p.Apply(context.Background(), x.conn, b))
	return x
}

func (x *target) dump() Dump {
	x.t.Helper()
	d, err := DumpSurface(context.Background(), x.conn, x.db, x.h.Surface)
	require.NoError(x.t, err)
	return d
}
