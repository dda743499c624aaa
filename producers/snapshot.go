package producers

import (
	"context"
	"fmt"

	"github.com/repodelta/repodelta/events"
)

// ScanFunc streams the packages of one index to fn, in index order; a
// format parser provides it. known (may be nil) is the previous snapshot,
// which lets the parser skip entries listed again byte for byte.
type ScanFunc func(ctx context.Context, known Known, fn func(*Entry) error) error

// Diff takes a snapshot: it scans the new index, diffs it against prev
// (emitting to sink as it goes) and checks the guards. On any error —
// parse, verify or guard — the caller must discard what sink received; with
// a Spool as sink nothing has reached the log. It returns the new state and
// the counts.
func Diff(ctx context.Context, prev *State, snap Snapshot, guard Guard, scan ScanFunc, sink Sink) (*State, events.Counts, error) {
	snap.Forced = snap.Forced || guard.Force
	d, err := NewDiffer(prev, snap, sink)
	if err != nil {
		return nil, events.Counts{}, err
	}
	if err := scan(ctx, prev.known(snap.Seed), d.Add); err != nil {
		return nil, events.Counts{}, fmt.Errorf("taking snapshot %d of %s: %w", snap.Sequence, snap.Repository.ID(), err)
	}
	next, counts, err := d.Finish()
	if err != nil {
		return nil, counts, err
	}
	if err := guard.Check(snap.Repository.ID(), len(prev.Packages), counts); err != nil {
		return nil, counts, err
	}
	return next, counts, nil
}
