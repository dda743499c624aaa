package links

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// promote makes snapshot s visible: it promotes s into the state,
// recounts the links whose packages s changed, and drops the pending
// partitions s makes useless.
func (p *Projection) promote(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	if err := p.promoteState(ctx, conn, s); err != nil {
		return err
	}
	touched, err := p.touched(ctx, conn, s)
	if err != nil {
		return err
	}
	if err := p.recount(ctx, conn, s, touched); err != nil {
		return err
	}
	return p.tables.DropPending(ctx, conn, s)
}

// promoteState adds s's staged rows to the state, as one block.
func (p *Projection) promoteState(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	return p.tables.PromoteState(ctx, conn, s)
}
