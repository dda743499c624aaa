package links

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// Name is the projection's name; its consumer group is "repodelta-links".
const Name = "links"

// Projection maintains the links view. It holds no state between calls:
// several processes may project at once (they share the consumer group
// and split the partitions). Safe for concurrent use.
type Projection struct {
	database  string
	name      string
	ledger    *consumers.Ledger
	maxParts  int // snapshots per staging insert: staged.MaxPartitionsPerInsert
	tables    staged.Tables
	projector staged.Projector
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
	p := &Projection{database: database, name: name, ledger: consumers.NewLedger(database, name), maxParts: staged.MaxPartitionsPerInsert}
	p.tables = staged.Tables{Database: database, Pending: "links_pending", State: "link_packages", Entries: entryColumns}
	p.projector = staged.Projector{Database: database, Name: name, Ledger: p.ledger, Stage: p.stage, Promote: p.promote}
	return p
}

// Name returns the projection's name.
func (p *Projection) Name() string { return p.name }

// Apply stages the batch's package events, records its commit markers,
// and promotes every snapshot the markers complete, in log order, each
// after any earlier complete snapshot of its repository not yet promoted. It is idempotent (see the package documentation).
func (p *Projection) Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	return p.projector.Apply(ctx, conn, batch)
}
