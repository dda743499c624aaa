package pipeline_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// view is one view of the query surface: its name and the columns that
// identify a row.
type view struct {
	name string
	keys string // "" for a one-row view
}

// currentViews are the views that show the packages as of each
// repository's last snapshot.
var currentViews = []view{
	{"packages", "repository_id, key"},
	{"projects", "project"},
	{"project_repositories", "project, repository_id"},
	{"package_statuses", "repository_id, key"},
	{"repositories", "repository_id"},
	{"statistics", ""},
	{"maintainers", "maintainer_id"},
	{"maintainer_repositories", "maintainer_id, repository_id"},
	{"links", "link_id, kind"},
}

// historyViews are the views that grow with every snapshot.
var historyViews = []view{
	{"package_history", "repository_id, key, sequence, event"},
	{"project_history", "project, event, repository_id, snapshot_repository_id, sequence"},
	{"statistics_history", "repository_id, sequence"},
}

// rowsOf reads every row of a view in database db, all columns but
// those in except, each row printed as "col=value …"; sorted.
func rowsOf(t *testing.T, conn driver.Conn, db, name string, except ...string) []string {
	t.Helper()
	ctx := context.Background()
	cols := columnsOf(t, conn, db, name, except)
	rows, err := conn.Query(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+db+"."+name)
	require.NoError(t, err, "reading %s", name)
	defer rows.Close()
	types := rows.ColumnTypes()
	var out []string
	for rows.Next() {
		vals := make([]any, len(types))
		for i, ct := range types {
			vals[i] = reflect.New(ct.ScanType()).Interface()
		}
		require.NoError(t, rows.Scan(vals...))
		fields := make([]string, len(vals))
		for i, v := range vals {
			fields[i] = fmt.Sprintf("%s=%v", cols[i], reflect.ValueOf(v).Elem().Interface())
		}
		out = append(out, strings.Join(fields, " "))
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

func columnsOf(t *testing.T, conn driver.Conn, db, table string, except []string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), "SELECT name FROM system.columns WHERE database = ? AND table = ?", db, table)
	require.NoError(t, err)
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		require.NoError(t, rows.Scan(&c))
		if !slices.Contains(except, c) {
			cols = append(cols, c)
		}
	}
	require.NoError(t, rows.Err())
	require.NotEmpty(t, cols, "columns of %s.%s", db, table)
	return cols
}

// assertNoDuplicates checks that no key of a view shows twice.
func assertNoDuplicates(t *testing.T, conn driver.Conn, db string, v view) {
	t.Helper()
	if v.keys == "" {
		var n uint64
		require.NoError(t, conn.QueryRow(context.Background(), "SELECT count() FROM "+db+"."+v.name).Scan(&n))
		assert.LessOrEqual(t, n, uint64(1), "%s has one row", v.name)
		return
	}
	var n, distinct uint64
	q := fmt.Sprintf("SELECT count(), uniqExact(%s) FROM %s.%s", v.keys, db, v.name)
	require.NoError(t, conn.QueryRow(context.Background(), q).Scan(&n, &distinct))
	assert.Equal(t, distinct, n, "%s: rows against distinct (%s)", v.name, v.keys)
}

// assertSameViews compares the views of two databases row by row.
func assertSameViews(t *testing.T, conn driver.Conn, want, got string, views []view, except ...string) {
	t.Helper()
	for _, v := range views {
		w, g := rowsOf(t, conn, want, v.name, except...), rowsOf(t, conn, got, v.name, except...)
		assert.NotEmpty(t, w, "%s of %s", v.name, want)
		assert.Equal(t, w, g, "%s: %s against %s", v.name, got, want)
		assertNoDuplicates(t, conn, got, v)
	}
}
