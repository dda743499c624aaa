package producers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/repodelta/repodelta/events"
)

// Message is one record to append to the event log.
type Message struct {
	Key   []byte
	Value []byte
	// Partition is the partition to write to, or -1 to let the log choose
	// by key.
	Partition int
}

// Log is the event log snapshots are published to.
type Log interface {
	// Partitions returns the partition count of the log's topic.
	Partitions(ctx context.Context) (int, error)
	// Append writes messages, in order per partition, and returns once all
	// of them are acknowledged. On error, any prefix may have been written.
	Append(ctx context.Context, msgs []Message) error
}

// LogReader is the optional ability of a Log to read itself back whole,
// which Ingest uses to recover after an interrupted publish.
type LogReader interface {
	ReadAll(ctx context.Context, fn func(*events.Envelope) error) error
}

// ErrInterrupted is wrapped when a previous publish was interrupted and the
// log cannot be read back to find out how far it got.
var ErrInterrupted = errors.New("previous ingest was interrupted")

// Ingester takes snapshots of repositories and publishes their deltas.
// One Ingester per repository at a time: two ingests of one repository
// must not run concurrently.
type Ingester struct {
	Store *Store
	Log   Log
	// SpoolDir holds spool files while a snapshot is taken ("" = the
	// system's temporary directory).
	SpoolDir string
	// BatchSize is how many messages one Append carries (default 5000).
	BatchSize int
	// Now returns the snapshot time (default time.Now).
	Now func() time.Time
}

// Request is one snapshot to take.
type Request struct {
	Repository events.Repository
	// Source names the index, for the markers.
	Source string
	Scan   ScanFunc
	Seed   uint64
	Guard  Guard
}

// Result is what a published snapshot held.
type Result struct {
	Sequence uint64
	Counts   events.Counts
}

// Ingest takes a snapshot and publishes it: the delta goes to a spool
// first; only a snapshot read whole, verified and passing the guards is
// published, its commit marker last; then the new state is saved.
//
// Crash safety: the sequence about to be published is recorded before
// publishing. If a later Ingest finds a recorded sequence above the saved
// state's, the previous publish was interrupted; it rebuilds the state from
// the log (a snapshot whose commit marker is in the log is committed, one
// whose marker is not is abandoned) and takes the next snapshot with a new
// sequence, so a half-published snapshot is never completed by a different
// one under the same sequence.
func (in *Ingester) Ingest(ctx context.Context, req Request) (Result, error) {
	prev, next, err := in.recover(ctx, req.Repository)
	if err != nil {
		return Result{}, err
	}
	spool, err := NewSpool(in.SpoolDir)
	if err != nil {
		return Result{}, err
	}
	defer spool.Close()
	now := time.Now
	if in.Now != nil {
		now = in.Now
	}
	snap := Snapshot{Repository: req.Repository, Sequence: next, Time: now().UTC().Truncate(time.Second), Source: req.Source, Seed: req.Seed}
	st, counts, err := Diff(ctx, prev, snap, req.Guard, req.Scan, spool)
	if err != nil {
		return Result{}, err
	}
	if err := in.Store.SaveAttempt(req.Repository, next); err != nil {
		return Result{}, err
	}
	if err := in.publish(ctx, spool); err != nil {
		return Result{}, fmt.Errorf("publishing snapshot %d of %s: %w", next, req.Repository.ID(), err)
	}
	if err := in.Store.Save(st); err != nil {
		return Result{}, err
	}
	return Result{Sequence: next, Counts: counts}, nil
}

// recover returns the committed state and the sequence to take next.
func (in *Ingester) recover(ctx context.Context, repo events.Repository) (*State, uint64, error) {
	st, err := in.Store.Load(repo)
	if err != nil {
		return nil, 0, err
	}
	attempt, err := in.Store.LoadAttempt(repo)
	if err != nil {
		return nil, 0, err
	}
	if attempt <= st.Sequence {
		return st, st.Sequence + 1, nil
	}
	reader, ok := in.Log.(LogReader)
	if !ok {
		return nil, 0, fmt.Errorf("ingesting %s: %w at snapshot %d, and the log cannot be read back", repo.ID(), ErrInterrupted, attempt)
	}
	rb := NewRebuilder(repo)
	if err := reader.ReadAll(ctx, func(e *events.Envelope) error { rb.Add(e); return nil }); err != nil {
		return nil, 0, fmt.Errorf("recovering %s from the log: %w", repo.ID(), err)
	}
	rebuilt, err := rb.State()
	if err != nil {
		return nil, 0, fmt.Errorf("recovering %s from the log: %w", repo.ID(), err)
	}
	rebuilt.Repository = repo
	if err := in.Store.Save(rebuilt); err != nil {
		return nil, 0, err
	}
	return rebuilt, max(attempt, rebuilt.Sequence) + 1, nil
}

// publish appends the spooled events: package events keyed by project,
// each marker once to every partition.
func (in *Ingester) publish(ctx context.Context, spool *Spool) error {
	parts, err := in.Log.Partitions(ctx)
	if err != nil {
		return err
	}
	size := in.BatchSize
	if size <= 0 {
		size = 5000
	}
	batch := make([]Message, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := in.Log.Append(ctx, batch)
		batch = batch[:0]
		return err
	}
	err = spool.Replay(func(r Record) error {
		if !r.Type.IsMarker() {
			batch = append(batch, Message{Key: []byte(r.Project), Value: append([]byte(nil), r.Value...), Partition: -1})
		} else {
			copies, err := fanOut(r.Value, parts)
			if err != nil {
				return err
			}
			batch = append(batch, copies...)
		}
		if len(batch) >= size {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// fanOut encodes one copy of a marker per partition.
func fanOut(value []byte, parts int) ([]Message, error) {
	e, err := events.Decode(value)
	if err != nil {
		return nil, fmt.Errorf("re-reading spooled marker: %w", err)
	}
	out := make([]Message, 0, parts)
	for p := range parts {
		m := *e.Marker
		m.Partition, m.Partitions = int32(p), int32(parts)
		e.Marker = &m
		b, err := events.Encode(e)
		if err != nil {
			return nil, err
		}
		out = append(out, Message{Key: []byte(e.Repository.ID()), Value: b, Partition: p})
	}
	return out, nil
}
