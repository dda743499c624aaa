package consumers_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/projections/packages"
)

// hooked wraps a projection: before runs ahead of every Apply (a non-nil
// error is returned instead of applying), after behind every successful
// one. It records the batches it saw.
type hooked struct {
	consumers.Projection
	before func(call int) error
	after  func(call int)

	mu      sync.Mutex
	batches [][]consumers.Event
}

func (h *hooked) Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	h.mu.Lock()
	h.batches = append(h.batches, batch)
	call := len(h.batches)
	h.mu.Unlock()
	if h.before != nil {
		if err := h.before(call); err != nil {
			return err
		}
	}
	if err := h.Projection.Apply(ctx, conn, batch); err != nil {
		return err
	}
	if h.after != nil {
		h.after(call)
	}
	return nil
}

func (h *hooked) seen() [][]consumers.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.batches
}

func TestProjectorProjectsTheLogAndPoisonsWhatItCannotDecode(t *testing.T) {
	garbage := kafka.Message{Partition: 1, Key: []byte("junk"), Value: []byte(`{"type": "package.appeared", "sequence": "x"}`)}
	w := newWorld(t, garbage)
	pub, err := bus.NewPublisher(bus.PublisherConfig{Brokers: w.brokers})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, pub.Close()) })
	conn, db := projectortest.Database(t)
	name := projectionName(t)
	cfg := w.config()
	cfg.Poison = pub

	proj := newProjector(t, packages.NewNamed(db, name), conn, cfg)
	require.NoError(t, run(t, proj))

	projectortest.AssertSameDump(t, w.want, dump(t, conn, db))
	stats := proj.Stats()
	assert.Equal(t, uint64(1), stats.Poisoned)
	assert.Equal(t, uint64(w.records-1), stats.Events)
	assert.Zero(t, w.lag(t, name))
	committed, err := consumers.NewLedger(db, name).Committed(context.Background(), conn)
	require.NoError(t, err)
	assert.Equal(t, map[string]uint64{projectortest.CorpusRepository.ID(): 4}, committed)

	r := kafka.NewReader(kafka.ReaderConfig{Brokers: w.brokers, Topic: bus.PoisonTopic(w.topic), Partition: 0})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	poisoned, err := r.ReadMessage(ctx)
	require.NoError(t, err)
	assert.Equal(t, garbage.Value, poisoned.Value)
	assert.Contains(t, headers(poisoned)[bus.PoisonReasonHeader], "decoding event")
}

func headers(m kafka.Message) map[string]string {
	out := map[string]string{}
	for _, h := range m.Headers {
		out[h.Key] = string(h.Value)
	}
	return out
}

func TestProjectorKilledMidwayConvergesAfterRestartAndReplay(t *testing.T) {
	w := newWorld(t)
	conn, db := projectortest.Database(t)
	name := projectionName(t)

	// The first projector dies after its third batch was applied but
	// before it was committed.
	var killed *consumers.Projector
	first := &hooked{Projection: packages.NewNamed(db, name), after: func(call int) {
		if call == 3 {
			require.NoError(t, killed.Close())
		}
	}}
	killed = newProjector(t, first, conn, w.config())
	require.NoError(t, run(t, killed))
	require.Len(t, first.seen(), 3)
	assert.Equal(t, uint64(2), killed.Stats().Batches, "the third batch was not committed")

	restarted := newProjector(t, packages.NewNamed(db, name), conn, w.config())
	require.NoError(t, run(t, restarted))
	projectortest.AssertSameDump(t, w.want, dump(t, conn, db))
	assert.Equal(t, uint64(w.records), killed.Stats().Events+restarted.Stats().Events,
		"the restart resumes after the last commit: every record is committed once")
	assert.Zero(t, w.lag(t, name))

	// A replay from offset zero (a new group) over the same tables.
	replay := newProjector(t, packages.NewNamed(db, name+"-replay"), conn, w.config())
	require.NoError(t, run(t, replay))
	projectortest.AssertSameDump(t, w.want, dump(t, conn, db))
	assert.Equal(t, uint64(w.records), replay.Stats().Events)
}

func TestProjectorRetriesRetryableErrorsOnTheSameBatch(t *testing.T) {
	w := newWorld(t)
	conn, db := projectortest.Database(t)
	p := &hooked{Projection: packages.NewNamed(db, projectionName(t)), before: func(call int) error {
		if call <= 2 {
			return &clickhouse.Exception{Code: 209, Name: "SOCKET_TIMEOUT", Message: "timed out"}
		}
		return nil
	}}
	proj := newProjector(t, p, conn, w.config())
	require.NoError(t, run(t, proj))

	seen := p.seen()
	require.Greater(t, len(seen), 3)
	assert.Equal(t, seen[0], seen[1], "the retry gets the same batch")
	assert.Equal(t, seen[0], seen[2], "the retry gets the same batch")
	assert.Equal(t, uint64(2), proj.Stats().Retries)
	projectortest.AssertSameDump(t, w.want, dump(t, conn, db))
}

func TestProjectorStopsOnPermanentErrorsWithoutCommittingPastThem(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		extra   []kafka.Message
		apply   func(call int) error
		wantErr error
		// uncommitted returns how many records are left uncommitted, and
		// how many must be.
		uncommitted func(w *world, lag map[int]int64) (got, want int64)
	}{
		{
			name:    "a permanent error of the projection stops before any commit",
			apply:   func(int) error { return boom },
			wantErr: boom,
			uncommitted: func(w *world, lag map[int]int64) (int64, int64) {
				var total int64
				for _, n := range lag {
					total += n
				}
				return total, w.records
			},
		},
		{
			name:    "an undecodable record with no poison topic stops its partition",
			extra:   []kafka.Message{{Partition: 0, Value: []byte("not json")}},
			wantErr: events.ErrInvalid,
			uncommitted: func(w *world, lag map[int]int64) (int64, int64) {
				return lag[0], int64(len(w.story.Log.Partition(0))) + 1
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.extra...)
			conn, db := projectortest.Database(t)
			name := projectionName(t)
			proj := newProjector(t, &hooked{Projection: packages.NewNamed(db, name), before: tt.apply}, conn, w.config())
			require.ErrorIs(t, run(t, proj), tt.wantErr)
			lag, err := bus.Lag(context.Background(), w.brokers, consumers.Group(name), w.topic)
			require.NoError(t, err)
			got, want := tt.uncommitted(w, lag)
			assert.Equal(t, want, got, "records left uncommitted")
		})
	}
}

func TestProjectorRunEndsWithItsContextOrClose(t *testing.T) {
	w := newWorld(t)
	conn, db := projectortest.Database(t)
	cfg := w.config()
	cfg.Once = false
	proj := newProjector(t, packages.NewNamed(db, projectionName(t)), conn, cfg)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- proj.Run(ctx) }()
	require.Eventually(t, func() bool { return proj.Stats().Batches > 0 }, time.Minute, 10*time.Millisecond)
	assert.ErrorIs(t, proj.Run(ctx), consumers.ErrRunning)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}

	require.NoError(t, proj.Close())
	require.NoError(t, proj.Close(), "Close is idempotent")
	require.NoError(t, proj.Run(context.Background()), "Run after Close returns at once")
}

func TestProjectorsSharingTheGroupConverge(t *testing.T) {
	w := newWorld(t)
	conn, db := projectortest.Database(t)
	name := projectionName(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	projs := make([]*consumers.Projector, 2)
	for i := range projs {
		projs[i] = newProjector(t, packages.NewNamed(db, name), conn, w.config())
	}
	for i, proj := range projs {
		wg.Go(func() { errs[i] = run(t, proj) })
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	projectortest.AssertSameDump(t, w.want, dump(t, conn, db))
	assert.Zero(t, w.lag(t, name))
	t.Logf("events applied per projector: %d, %d", projs[0].Stats().Events, projs[1].Stats().Events)
}
