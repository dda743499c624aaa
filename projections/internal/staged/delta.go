package staged

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// Delta gathers a snapshot's delta: per package key, the entries of the
// state row the snapshot replaces (before) and of the row it brings. An
// entry is what a package contributes to some counts: if none of a key's
// entries changes, neither do the counts concerned. The zero value is
// empty and ready to use; not safe for concurrent use.
type Delta[E comparable] struct {
	byKey map[string]*sides[E]
}

type sides[E comparable] struct{ old, new map[E]bool }

// Add adds entries to the side of key that before names.
func (d *Delta[E]) Add(key string, before bool, entries []E) {
	if d.byKey == nil {
		d.byKey = map[string]*sides[E]{}
	}
	s := d.byKey[key]
	if s == nil {
		s = &sides[E]{old: map[E]bool{}, new: map[E]bool{}}
		d.byKey[key] = s
	}
	side := s.new
	if before {
		side = s.old
	}
	for _, e := range entries {
		side[e] = true
	}
}

// Changed yields, in no particular order, the entries found on one side
// of a key and not on the other. An entry changed under several keys
// comes once per key.
func (d *Delta[E]) Changed() iter.Seq[E] {
	return func(yield func(E) bool) {
		for _, s := range d.byKey {
			for e := range s.old {
				if !s.new[e] && !yield(e) {
					return
				}
			}
			for e := range s.new {
				if !s.old[e] && !yield(e) {
					return
				}
			}
		}
	}
}

// ReadDelta reads the delta of snapshot s in t, each row read by scan:
// the rows s brings (before = 0), then for each of their keys the newest
// state row older than s, which s replaces (before = 1). The latter does
// not change when s (or a later snapshot) is promoted, so a repeated
// promotion finds the same delta. The columns are key, before (UInt8),
// deleted, project, then Entries.
func ReadDelta[R any](ctx context.Context, conn driver.Conn, t Tables, s consumers.Snapshot, scan func(driver.Rows) (R, error)) ([]R, error) {
	repo := s.Repository.ID()
	brought := "SELECT key, 0, deleted, project, " + strings.Join(t.Entries, ", ") +
		"\nFROM " + t.Database + "." + t.Pending + " WHERE repository_id = ? AND sequence = ?"
	out, err := query(ctx, conn, nil, scan, brought, repo, s.Sequence)
	if err != nil {
		return nil, fmt.Errorf("reading staged rows of snapshot %d of %s: %w", s.Sequence, repo, err)
	}
	newest := make([]string, len(t.Entries))
	for i, c := range t.Entries {
		newest[i] = "argMax(" + c + ", sequence)"
	}
	replaced := "SELECT key, 1, argMax(deleted, sequence), argMax(project, sequence),\n\t" + strings.Join(newest, ", ") +
		"\nFROM " + t.Database + "." + t.State +
		"\nWHERE repository_id = ? AND sequence < ?" +
		"\n\tAND key IN (SELECT key FROM " + t.Database + "." + t.Pending + " WHERE repository_id = ? AND sequence = ?)" +
		"\nGROUP BY key"
	out, err = query(ctx, conn, out, scan, replaced, repo, s.Sequence, repo, s.Sequence)
	if err != nil {
		return nil, fmt.Errorf("reading the state replaced by snapshot %d of %s: %w", s.Sequence, repo, err)
	}
	return out, nil
}

// query runs q and appends to out each row, as scan reads it.
func query[R any](ctx context.Context, conn driver.Conn, out []R, scan func(driver.Rows) (R, error), q string, args ...any) ([]R, error) {
	rows, err := conn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
