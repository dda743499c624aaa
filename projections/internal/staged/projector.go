package staged

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// Projector applies batches for a staged projection: it stages their
// package events, records their commit markers, and promotes every
// snapshot the markers complete, in order. It holds no state between
// calls; safe for concurrent use when Stage and Promote are.
type Projector struct {
	Database string
	Name     string // the projector's name in snapshot_markers
	Ledger   *consumers.Ledger
	// Stage writes the batch's package events to the pending table.
	Stage func(ctx context.Context, conn driver.Conn, batch []consumers.Event) error
	// Promote makes a complete snapshot visible; promoting it again
	// changes nothing.
	Promote func(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error
}

// Apply stages the batch's package events, records its commit markers,
// and promotes every snapshot the markers complete, in sequence order,
// each after any earlier complete snapshot of its repository not yet
// promoted. It is idempotent.
func (p Projector) Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	if err := p.Stage(ctx, conn, batch); err != nil {
		return err
	}
	complete, err := p.Ledger.Record(ctx, conn, batch)
	if err != nil {
		return err
	}
	for _, s := range complete {
		if err := p.catchUp(ctx, conn, s); err != nil {
			return err
		}
		if err := p.advance(ctx, conn, s); err != nil {
			return err
		}
	}
	return nil
}

// advance promotes s and moves the watermark to it.
func (p Projector) advance(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	if err := p.Promote(ctx, conn, s); err != nil {
		return err
	}
	return p.Ledger.Advance(ctx, conn, s)
}

// completeBetween lists the snapshots of a repository, after a sequence
// and before another, whose commit marker the projector has recorded for
// every partition.
const completeBetween = `SELECT sequence, any(previous_sequence), any(snapshot_time), toInt32(max(partitions))
FROM %s.snapshot_markers
WHERE projector = ? AND repository = ? AND sequence > ? AND sequence < ?
GROUP BY sequence
HAVING uniqExactIf(partition, partition < partitions) >= max(partitions)
ORDER BY sequence`

// catchUp promotes, in order, the complete snapshots of s's repository
// that come after the projection's watermark and before s. In one process
// there are none: snapshots are promoted in order. With several, another
// process may have recorded the last marker of an earlier snapshot and not
// yet promoted it; counts computed from a state that lacks it would be
// wrong, and the state version would no longer grow with every change.
// Promoting it again is harmless.
func (p Projector) catchUp(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	earlier, err := p.earlierComplete(ctx, conn, s)
	if err != nil {
		return err
	}
	for _, e := range earlier {
		if err := p.advance(ctx, conn, e); err != nil {
			return err
		}
	}
	return nil
}

// earlierComplete returns the complete snapshots of s's repository
// between the watermark and s.
func (p Projector) earlierComplete(ctx context.Context, conn driver.Conn, s consumers.Snapshot) ([]consumers.Snapshot, error) {
	repo := s.Repository.ID()
	committed, err := p.Ledger.Committed(ctx, conn)
	if err != nil {
		return nil, err
	}
	if s.Sequence <= committed[repo]+1 {
		return nil, nil
	}
	rows, err := conn.Query(ctx, fmt.Sprintf(completeBetween, p.Database), p.Name, repo, committed[repo], s.Sequence)
	if err != nil {
		return nil, fmt.Errorf("reading complete snapshots of %s before %d: %w", repo, s.Sequence, err)
	}
	defer rows.Close()
	var out []consumers.Snapshot
	for rows.Next() {
		e := consumers.Snapshot{Repository: s.Repository}
		if err := rows.Scan(&e.Sequence, &e.PreviousSequence, &e.Time, &e.Partitions); err != nil {
			return nil, fmt.Errorf("reading complete snapshots of %s before %d: %w", repo, s.Sequence, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading complete snapshots of %s before %d: %w", repo, s.Sequence, err)
	}
	return out, nil
}
