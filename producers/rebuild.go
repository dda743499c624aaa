package producers

import (
	"fmt"
	"slices"

	"github.com/repodelta/repodelta/events"
)

// Rebuilder folds a repository's event log back into its last committed
// State, for when the state file is lost or corrupt. Feed it every event of
// the log in any partition order (Add ignores other repositories), then call
// State. A snapshot counts only if its commit marker is in the log: the
// events of an aborted snapshot are dropped, as projectors drop them.
//
// It stages the small part of each package event it needs (key, project,
// version, checksum), so memory grows with the log's package events, not
// with their payloads.
type Rebuilder struct {
	repo      events.Repository
	staged    map[uint64][]stagedEvent
	committed map[uint64]*events.Envelope
}

type stagedEvent struct {
	typ events.Type
	key string
	ps  PackageState
}

// NewRebuilder returns a Rebuilder for repo.
func NewRebuilder(repo events.Repository) *Rebuilder {
	return &Rebuilder{repo: repo, staged: map[uint64][]stagedEvent{}, committed: map[uint64]*events.Envelope{}}
}

// Add takes one event of the log.
func (r *Rebuilder) Add(e *events.Envelope) {
	if e.Repository.ID() != r.repo.ID() {
		return
	}
	switch e.Type {
	case events.SnapshotCommitted:
		r.committed[e.Sequence] = e
	case events.SnapshotStarted:
	default:
		ps := PackageState{Project: e.Project, Checksum: e.Checksum}
		if e.Package != nil {
			ps.Version = e.Package.Version
		}
		r.staged[e.Sequence] = append(r.staged[e.Sequence], stagedEvent{typ: e.Type, key: e.Key, ps: ps})
	}
}

// State applies the committed snapshots in sequence order and returns the
// result. It fails when a committed snapshot was diffed against a snapshot
// the log does not hold as committed (a gap in the log).
func (r *Rebuilder) State() (*State, error) {
	seqs := make([]uint64, 0, len(r.committed))
	for s := range r.committed {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	st := NewState(r.repo)
	for _, seq := range seqs {
		c := r.committed[seq]
		m := c.Marker
		if m.PreviousSequence != st.Sequence {
			return nil, fmt.Errorf("rebuilding state of %s: snapshot %d follows %d, but the log's last committed snapshot before it is %d",
				r.repo.ID(), seq, m.PreviousSequence, st.Sequence)
		}
		for _, ev := range r.staged[seq] {
			if ev.typ == events.PackageDisappeared {
				st.Delete(ev.key)
			} else {
				st.Put(ev.key, ev.ps)
			}
		}
		st.Sequence, st.Seed, st.Counts, st.Time = seq, m.HashSeed, m.Counts, c.SnapshotTime
	}
	return st, nil
}
