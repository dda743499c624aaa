package producers

import (
	"fmt"
	"slices"
	"time"

	"github.com/repodelta/repodelta/events"
)

// Sink receives the events of a snapshot in order. Emit may keep the
// envelope; the differ does not reuse it.
type Sink interface {
	Emit(e *events.Envelope) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(e *events.Envelope) error

// Emit calls f(e).
func (f SinkFunc) Emit(e *events.Envelope) error { return f(e) }

// Snapshot describes the snapshot being taken.
type Snapshot struct {
	Repository events.Repository
	// Sequence must be greater than the previous state's (usually +1).
	Sequence uint64
	Time     time.Time
	// Source names where the index was read from, for the markers.
	Source string
	Seed   uint64
	Forced bool
}

// Differ compares a new snapshot, fed package by package with Add, with a
// repository's last committed State, and emits to its Sink only what
// differs: appeared and changed packages as they are added, disappeared ones
// in Finish, bracketed by the snapshot started and committed markers. It is
// not safe for concurrent use.
type Differ struct {
	prev   *State
	next   *State
	snap   Snapshot
	sink   Sink
	counts events.Counts
}

// NewDiffer starts a snapshot against prev and emits its started marker.
func NewDiffer(prev *State, snap Snapshot, sink Sink) (*Differ, error) {
	if snap.Sequence <= prev.Sequence {
		return nil, fmt.Errorf("starting snapshot %d of %s: sequence not above the committed %d", snap.Sequence, snap.Repository.ID(), prev.Sequence)
	}
	// Sized like the previous snapshot: most of it will be there again.
	next := newStateSized(snap.Repository, len(prev.Packages)+len(prev.Packages)/8, len(prev.Projects)+len(prev.Projects)/8)
	next.Sequence, next.Seed, next.Time = snap.Sequence, snap.Seed, snap.Time
	d := &Differ{prev: prev, next: next, snap: snap, sink: sink}
	return d, d.emit(d.marker(events.SnapshotStarted))
}

// Add compares one package with the previous state and emits appeared or
// changed for it when it differs.
func (d *Differ) Add(e *Entry) error {
	old, existed := d.prev.Packages[e.Key]
	n := len(d.next.Packages)
	p := PackageState{Project: e.Project, Version: e.Package.Version, Checksum: e.Checksum, Raw: e.Raw}
	if existed && old.Checksum == e.Checksum && old.Version == p.Version {
		p.Version = old.Version // the previous state's copy: no new one
		d.next.place(e.Key, p)
	} else {
		d.next.insert(e.Key, p)
	}
	if len(d.next.Packages) == n {
		return fmt.Errorf("adding %s to snapshot %d: key listed twice", e.Key, d.snap.Sequence)
	}
	var typ events.Type
	switch {
	case !existed:
		typ = events.PackageAppeared
		d.counts.Appeared++
	case old.Checksum != e.Checksum:
		typ = events.PackageChanged
		d.counts.Changed++
	default:
		d.counts.Unchanged++
		return nil
	}
	ev := d.envelope(typ, e.Key, e.Project, e.Checksum)
	ev.Package = e.Package
	if existed {
		ev.Previous = &events.Previous{Version: old.Version, Checksum: old.Checksum}
	}
	return d.emit(ev)
}

// Finish emits disappeared for every package of the previous state the
// snapshot no longer holds, then the commit marker, and returns the new
// state. Projects whose packageset checksum is unchanged are skipped
// without looking at their packages.
func (d *Differ) Finish() (*State, events.Counts, error) {
	var gone []string
	for project, was := range d.prev.Projects {
		if now := d.next.Projects[project]; now != nil && now.Checksum == was.Checksum {
			continue
		}
		for _, key := range was.Keys {
			if _, ok := d.next.Packages[key]; !ok {
				gone = append(gone, key)
			}
		}
	}
	slices.Sort(gone) // a deterministic log
	for _, key := range gone {
		old := d.prev.Packages[key]
		ev := d.envelope(events.PackageDisappeared, key, old.Project, old.Checksum)
		ev.Previous = &events.Previous{Version: old.Version, Checksum: old.Checksum}
		if err := d.emit(ev); err != nil {
			return nil, d.counts, err
		}
	}
	d.counts.Disappeared = len(gone)
	d.counts.Packages = len(d.next.Packages)
	d.counts.Projects = len(d.next.Projects)
	commit := d.marker(events.SnapshotCommitted)
	commit.Marker.Counts = d.counts
	commit.Marker.PackagesetChecksum = d.next.Checksum()
	if err := d.emit(commit); err != nil {
		return nil, d.counts, err
	}
	d.next.Counts = d.counts
	return d.next, d.counts, nil
}

func (d *Differ) envelope(typ events.Type, key, project string, sum events.Checksum) *events.Envelope {
	return &events.Envelope{
		Type: typ, SchemaVersion: events.SchemaVersion, Repository: d.snap.Repository,
		Sequence: d.snap.Sequence, SnapshotTime: d.snap.Time, Key: key, Project: project, Checksum: sum,
	}
}

func (d *Differ) marker(typ events.Type) *events.Envelope {
	ev := d.envelope(typ, "", "", 0)
	ev.Marker = &events.Marker{PreviousSequence: d.prev.Sequence, Source: d.snap.Source, Forced: d.snap.Forced, HashSeed: d.snap.Seed}
	return ev
}

func (d *Differ) emit(ev *events.Envelope) error {
	if err := d.sink.Emit(ev); err != nil {
		return fmt.Errorf("emitting %s: %w", ev.ID(), err)
	}
	return nil
}
