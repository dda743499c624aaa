package projectortest

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/chdb"
)

// Query is one query of a projection's query surface, with {{db}} for the
// database. It must order its rows completely, so that equal states give
// equal text.
type Query struct {
	Name string
	SQL  string
}

// Dump is the text of a query surface's results: per query name, a header
// line of column names and one tab-separated line per row.
type Dump map[string]string

// DumpSurface runs every query of surface against database.
func DumpSurface(ctx context.Context, conn driver.Conn, database string, surface []Query) (Dump, error) {
	out := make(Dump, len(surface))
	for _, q := range surface {
		text, err := dumpQuery(ctx, conn, strings.ReplaceAll(q.SQL, chdb.DatabasePlaceholder, database))
		if err != nil {
			return nil, fmt.Errorf("dumping %s: %w", q.Name, err)
		}
		out[q.Name] = text
	}
	return out, nil
}

func dumpQuery(ctx context.Context, conn driver.Conn, query string) (string, error) {
	rows, err := conn.Query(ctx, query)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	var b strings.Builder
	b.WriteString(strings.Join(rows.Columns(), "\t"))
	b.WriteByte('\n')
	dest := make([]any, len(types))
	for rows.Next() {
		for i, ct := range types {
			dest[i] = reflect.New(ct.ScanType()).Interface()
		}
		if err := rows.Scan(dest...); err != nil {
			return "", err
		}
		for i, d := range dest {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(format(reflect.ValueOf(d).Elem().Interface()))
		}
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}

// format writes a value on one line: strings quoted, times in RFC 3339
// UTC, lists in brackets.
func format(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339)
	case []string:
		q := make([]string, len(v))
		for i, s := range v {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, " ") + "]"
	}
	return fmt.Sprint(v)
}
