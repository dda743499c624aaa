package projects

import (
	"cmp"
	"context"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
)

// Name is the projection's name; its consumer group is "repodelta-projects".
const Name = "projects"

// Projection maintains the projects, project_repositories,
// package_statuses, repositories, statistics, statistics_history and
// project_history views from the package events alone, keeping its own
// state (projects_state). It holds no state between calls, and runs at
// most four ClickHouse operations at once besides the ledger's. Apply must
// not run concurrently with itself, in this process or another, against
// one database: see the package documentation.
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
// projection's watermarks do not show yet, in the order the snapshots were
// taken. It is idempotent (see the package documentation).
func (p *Projection) Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	var committed map[string]uint64
	steps := []func(context.Context) error{func(ctx context.Context) error { return p.stage(ctx, conn, batch) }}
	if slices.ContainsFunc(batch, func(e consumers.Event) bool { return e.Type == events.SnapshotCommitted }) {
		// Only Apply moves the watermarks, after staging: they can be read
		// beside it.
		steps = append(steps, func(ctx context.Context) (err error) {
			committed, err = p.ledger.Committed(ctx, conn)
			return err
		})
	}
	if err := parallel(ctx, steps...); err != nil {
		return err
	}
	complete, err := p.ledger.Record(ctx, conn, batch)
	if err != nil {
		return err
	}
	if committed == nil {
		committed = map[string]uint64{}
	}
	slices.SortStableFunc(complete, func(a, b consumers.Snapshot) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Repository.ID(), b.Repository.ID()), cmp.Compare(a.Sequence, b.Sequence))
	})
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
