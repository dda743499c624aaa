package projects

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// Name is the projection's name; its consumer group is "repodelta-projects".
const Name = "projects"

// Projection maintains the projects, project_repositories,
// package_statuses, repositories, statistics, statistics_history and
// project_history views from the package events alone, keeping its own
// state (projects_state). It holds no state between calls, and runs at
// most four ClickHouse operations at once besides the ledger's. Several
// processes may apply at once: promotions take the promotion lock (see the
// package documentation).
type Projection struct {
	database string
	name     string
	ledger   *consumers.Ledger
	maxParts int // snapshots per staging insert: maxPartitionsPerInsert
	setBytes int // literal bytes per "IN ?" set: maxSetBytes
	slots    chan struct{}
}

// New returns the projection writing to the tables of database, which the
// migrations in schemas.ClickHouse have set up.
func New(database string) *Projection {
	return NewNamed(database, Name)
}

// NewNamed returns the projection under another name, hence another
// consumer group (which starts at offset zero) and other ledger rows: a
// rebuild into a shadow database while the live projection keeps serving.
func NewNamed(database, name string) *Projection {
	return &Projection{database: database, name: name, ledger: consumers.NewLedger(database, name),
		maxParts: maxPartitionsPerInsert, setBytes: maxSetBytes, slots: make(chan struct{}, maxConcurrent)}
}

// Name returns the projection's name.
func (p *Projection) Name() string { return p.name }

// Apply stages the batch's package events, records its commit markers,
// and promotes every snapshot that the markers complete and that the
// projection's watermarks do not show yet, in log order, holding the
// promotion lock. It is idempotent, and several
// processes may apply at once (see the package documentation).
func (p *Projection) Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	if err := p.stage(ctx, conn, batch); err != nil {
		return err
	}
	complete, err := p.ledger.Record(ctx, conn, batch)
	if err != nil || len(complete) == 0 {
		return err
	}
	l, err := p.lock(ctx, conn)
	if err != nil {
		return err
	}
	err = p.promoteComplete(ctx, conn, complete)
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lockBeat)
	defer cancel()
	return errors.Join(err, l.unlock(uctx, conn))
}

// promoteComplete promotes the complete snapshots, with the earlier
// complete snapshots of their repositories that the watermarks do not show
// yet (another process recorded their last marker and has not promoted
// them yet), in log order. The caller holds the lock: the
// watermarks read here cannot move meanwhile.
func (p *Projection) promoteComplete(ctx context.Context, conn driver.Conn, complete []consumers.Snapshot) error {
	committed, err := p.ledger.Committed(ctx, conn)
	if err != nil {
		return err
	}
	earlier, err := p.earlierComplete(ctx, conn, complete, committed)
	if err != nil {
		return err
	}
	complete = append(earlier, complete...)
	slices.SortStableFunc(complete, consumers.CompareLogOrder)
	for _, s := range complete {
		if err := p.promoteOnce(ctx, conn, s, committed[s.Repository.ID()]); err != nil {
			return err
		}
		committed[s.Repository.ID()] = max(committed[s.Repository.ID()], s.Sequence)
	}
	return nil
}

// promoteOnce promotes snapshot s unless the watermark of its repository,
// committed, shows it already (a re-delivery, a replay), then drops its
// staged rows.
func (p *Projection) promoteOnce(ctx context.Context, conn driver.Conn, s consumers.Snapshot, committed uint64) error {
	if committed >= s.Sequence {
		return p.dropPending(ctx, conn, s)
	}
	if err := p.promote(ctx, conn, s); err != nil {
		return err
	}
	return parallel(ctx, func(ctx context.Context) error {
		return p.ledger.Advance(ctx, conn, s)
	}, func(ctx context.Context) error {
		return p.dropPending(ctx, conn, s)
	})
}

// completeBetween lists the snapshots of a repository, after a sequence
// and before another, whose commit marker the projector has recorded for
// every partition.
const completeBetween = `SELECT sequence, any(previous_sequence), any(snapshot_time), toInt32(max(partitions)), toInt64(minIf(offset, partition = 0))
FROM %s.snapshot_markers
WHERE projector = ? AND repository = ? AND sequence > ? AND sequence < ?
GROUP BY sequence
HAVING uniqExactIf(partition, partition < partitions) >= max(partitions)
ORDER BY sequence`

// earlierComplete returns, for each repository of complete, the complete
// snapshots between its watermark and its newest snapshot in complete
// that complete does not hold.
func (p *Projection) earlierComplete(ctx context.Context, conn driver.Conn, complete []consumers.Snapshot, committed map[string]uint64) ([]consumers.Snapshot, error) {
	newest := map[string]consumers.Snapshot{}
	listed := map[string]map[uint64]bool{}
	for _, s := range complete {
		id := s.Repository.ID()
		if s.Sequence > newest[id].Sequence {
			newest[id] = s
		}
		if listed[id] == nil {
			listed[id] = map[uint64]bool{}
		}
		listed[id][s.Sequence] = true
	}
	var out []consumers.Snapshot
	for id, s := range newest {
		if s.Sequence <= committed[id]+1 {
			continue
		}
		err := p.queryRows(ctx, conn, fmt.Sprintf(completeBetween, p.database), []any{p.name, id, committed[id], s.Sequence},
			func(rows driver.Rows) error {
				e := consumers.Snapshot{Repository: s.Repository}
				err := rows.Scan(&e.Sequence, &e.PreviousSequence, &e.Time, &e.Partitions, &e.At)
				if err == nil && !listed[id][e.Sequence] {
					out = append(out, e)
				}
				return err
			})
		if err != nil {
			return nil, fmt.Errorf("reading complete snapshots of %s before %d: %w", id, s.Sequence, err)
		}
	}
	for i := range out {
		if err := p.countStaged(ctx, conn, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countStaged sets the counts of snapshot s, which only its commit marker
// carries, from its staged events.
func (p *Projection) countStaged(ctx context.Context, conn driver.Conn, s *consumers.Snapshot) error {
	query := "SELECT toInt64(countIf(event = 'appeared')), toInt64(countIf(event = 'changed')), toInt64(countIf(event = 'disappeared'))" +
		" FROM (SELECT DISTINCT key, event FROM " + p.database + ".projects_pending WHERE repository_id = ? AND sequence = ?)"
	err := p.queryRows(ctx, conn, query, []any{s.Repository.ID(), s.Sequence}, func(rows driver.Rows) error {
		var a, c, d int64
		err := rows.Scan(&a, &c, &d)
		s.Counts.Appeared, s.Counts.Changed, s.Counts.Disappeared = int(a), int(c), int(d)
		return err
	})
	if err != nil {
		return fmt.Errorf("counting the staged events of snapshot %d of %s: %w", s.Sequence, s.Repository.ID(), err)
	}
	return nil
}
