package consumers

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/bus"
)

// GroupPrefix prefixes a projection's name to make its consumer group id.
const GroupPrefix = "repodelta-"

// Group returns the consumer group id of the projection named name. The
// name is the group: renaming a projection re-reads the whole log.
func Group(name string) string { return GroupPrefix + name }

// Projection maintains derived tables in ClickHouse from the event log.
//
// Apply receives every event of a batch the Projector fetched, decoded, in
// log order per partition (partitions interleaved); snapshot markers
// included. It must be idempotent: a batch may be applied again after an
// error or a crash, events may be duplicated within and across batches, and
// the log may be replayed from offset zero; the tables must converge to the
// same rows. It must never make half a snapshot visible (see Ledger). An
// error that chdb.Retryable accepts makes the Projector retry the same
// batch; any other stops it. A Projector calls Apply from Run only, one
// batch at a time.
type Projection interface {
	// Name is the projection's stable name: the consumer group id is
	// Group(Name()), and its rows in the shared snapshot tables are keyed
	// by it.
	Name() string
	Apply(ctx context.Context, conn driver.Conn, batch []Event) error
}

// Poisoner moves a record that can never be processed to a poison topic,
// with the reason; bus.Publisher is one. The caller then skips the record.
type Poisoner interface {
	Poison(ctx context.Context, rec bus.Record, reason string) error
}
