package pipeline_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/pipeline"
)

// seedColumns are the columns a new hashing seed legitimately changes:
// checksums, and whatever records the snapshot that last wrote a row
// (every package is rewritten by the snapshot after the bump).
var seedColumns = []string{"checksum", "sequence", "snapshot_time", "last_changed", "last_sequence", "last_snapshot_time"}

func TestANewHashSeedReEmitsEveryPackageAndConverges(t *testing.T) {
	e := newEnv(t)
	sources := map[string]string{"bookworm-updates": "bookworm-updates_main_amd64_Packages.xz", "bookworm-security": "bookworm-security_main_amd64_Packages.xz"}
	cfg := e.updatesAndSecurity(sources)
	e.runConfig(t, cfg)
	before := map[string][]string{}
	for _, v := range currentViews {
		before[v.name] = rowsOf(t, e.conn, e.opts.Database, v.name, seedColumns...)
	}
	packages := e.count(t, "SELECT count() FROM {{db}}.packages")

	cfg.HashSeed++
	var s pipeline.Services
	defer s.Close()
	res, err := pipeline.Ingest(context.Background(), e.opts, &s, cfg, nil, false)
	require.NoError(t, err)
	var changed uint64
	for _, r := range res {
		assert.Zero(t, r.Counts.Appeared+r.Counts.Disappeared+r.Counts.Unchanged, "%s: only changes", r.Repository)
		changed += uint64(r.Counts.Changed)
	}
	assert.Equal(t, packages, changed, "every package is emitted as changed")
	require.NoError(t, pipeline.Project(context.Background(), e.opts, &s, cfg, nil, true, nil))

	assert.Equal(t, packages, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE sequence = 2 AND event = 'changed'"))
	assert.Zero(t, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE sequence = 2 AND (old_version != new_version OR old_checksum = new_checksum)"),
		"a change of checksum only")
	assert.Equal(t, packages, e.count(t, "SELECT count() FROM {{db}}.packages WHERE sequence = 2"))
	for _, v := range currentViews {
		assert.Equal(t, before[v.name], rowsOf(t, e.conn, e.opts.Database, v.name, seedColumns...), v.name)
		assertNoDuplicates(t, e.conn, e.opts.Database, v)
	}
	assert.Zero(t, e.count(t, "SELECT count() FROM {{db}}.project_history WHERE sequence = 2"), "no project changed")
}
