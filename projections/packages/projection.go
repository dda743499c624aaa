package packages

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// Name is the projection's name; its consumer group is "repodelta-packages".
const Name = "packages"

// Projection maintains the packages and package_history views. It holds
// no state between calls: several processes may project at once (they
// share the consumer group and split the partitions). Safe for concurrent
// use.
type Projection struct {
	database string
	name     string
	ledger   *consumers.Ledger
	maxParts int // snapshots per staging insert: maxPartitionsPerInsert
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
	return &Projection{database: database, name: name, ledger: consumers.NewLedger(database, name), maxParts: maxPartitionsPerInsert}
}

// Name returns the projection's name.
func (p *Projection) Name() string { return p.name }

// Apply stages the batch's package events, records its commit markers,
// and promotes every snapshot that the markers complete, in sequence
// order. It is idempotent (see the package documentation).
func (p *Projection) Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	whole := wholeSnapshots(batch)
	if err := p.stage(ctx, conn, withoutSnapshots(batch, whole)); err != nil {
		return err
	}
	complete, err := p.ledger.Record(ctx, conn, batch)
	if err != nil {
		return err
	}
	for _, s := range complete {
		write := p.promote
		if whole[snapshotID{s.Repository.ID(), s.Sequence}] {
			write = func(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
				return p.insertDirect(ctx, conn, s, batch)
			}
		}
		if err := write(ctx, conn, s); err != nil {
			return err
		}
		if err := p.ledger.Advance(ctx, conn, s); err != nil {
			return err
		}
	}
	return nil
}
