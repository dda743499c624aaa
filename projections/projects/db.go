package projects

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// maxConcurrent bounds the ClickHouse operations a projection runs at
// once (besides the ledger's), so that it leaves connections of a shared
// pool (chdb's default holds 8) to other projections.
const maxConcurrent = 4

// acquire takes one of the projection's slots for a ClickHouse operation;
// release gives it back.
func (p *Projection) acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.slots <- struct{}{}:
		return func() { <-p.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// insertRows sends n rows to an INSERT with an explicit column list as one
// batch: one block, which the server writes as one part per partition, so
// the rows become visible together. row returns the values of row i in
// the column list's order. No rows, no insert.
func (p *Projection) insertRows(ctx context.Context, conn driver.Conn, query string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	release, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	batch, err := conn.PrepareBatch(ctx, query)
	if err != nil {
		return err
	}
	defer func() { _ = batch.Close() }()
	for i := range n {
		if err := batch.Append(row(i)...); err != nil {
			return err
		}
	}
	return batch.Send()
}

// queryRows runs a query and calls scan for each row.
func (p *Projection) queryRows(ctx context.Context, conn driver.Conn, query string, args []any, scan func(driver.Rows) error) error {
	release, err := p.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func flag(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
