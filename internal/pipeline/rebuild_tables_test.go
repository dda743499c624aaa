package pipeline

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/schemas"
)

// notOwned are the tables of the migrations no projection owns: the shared
// ledger and control tables, and other commands' tables.
var notOwned = map[string]bool{"snapshot_markers": true, "watermarks": true, "projector_control": true}

func TestEveryTableHasOneOwner(t *testing.T) {
	create := regexp.MustCompile(`CREATE TABLE IF NOT EXISTS \{\{db\}\}\.(\w+)`)
	owners := map[string][]string{}
	for name, tables := range ownedTables {
		for _, table := range tables {
			owners[table] = append(owners[table], name)
		}
	}
	files, err := fs.Glob(schemas.ClickHouse, "clickhouse/000[0-4]_*.sql")
	require.NoError(t, err)
	files = append(files, "clickhouse/0006_projector_control.sql")
	seen := map[string]bool{}
	for _, f := range files {
		text, err := fs.ReadFile(schemas.ClickHouse, f)
		require.NoError(t, err)
		for _, m := range create.FindAllStringSubmatch(string(text), -1) {
			table := m[1]
			seen[table] = true
			if notOwned[table] {
				assert.Empty(t, owners[table], "%s is shared, yet owned", table)
				continue
			}
			assert.Len(t, owners[table], 1, "%s (%s) must have exactly one owner", table, f)
		}
	}
	for table := range owners {
		assert.True(t, seen[table], "owned table %s is in no migration", table)
	}
}
