package staged

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// MaxInlineIDs is the most ids written into a query as an IN list (about
// 21 bytes each, well below max_query_size); with more, the caller reads
// whole tables and filters them itself.
const MaxInlineIDs = 4096

// InList returns " AND column IN (id, …)", or "" when ids are too many
// to list. The ids are numbers formatted here: nothing to escape.
func InList(column string, ids []uint64) string {
	if len(ids) > MaxInlineIDs {
		return ""
	}
	var b strings.Builder
	b.WriteString(" AND " + column + " IN (")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatUint(id, 10))
	}
	b.WriteByte(')')
	return b.String()
}

// SendColumns inserts one block: the i-th value is the slice of the i-th
// column of the query's column list.
func SendColumns(ctx context.Context, conn driver.Conn, query string, columns ...any) error {
	batch, err := conn.PrepareBatch(ctx, query)
	if err != nil {
		return err
	}
	defer func() { _ = batch.Close() }()
	for i, c := range columns {
		if err := batch.Column(i).Append(c); err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
	}
	return batch.Send()
}
