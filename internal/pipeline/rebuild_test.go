package pipeline_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/pipeline"
)

// TestRebuild loads bookworm and trixie, then rebuilds every projection
// while the live projectors run and bookworm-point is ingested, and
// compares every table with a replay of the final log from scratch; then
// it interrupts a rebuild, resumes it with no live projector running, and
// compares again. One loaded environment serves the sub-tests.
func TestRebuild(t *testing.T) {
	e := newEnv(t)
	cfg := e.twoReleases(corpus("bookworm_main_amd64_Packages.xz"))
	e.runConfig(t, cfg)
	point := e.twoReleases(corpus("bookworm-point_main_amd64_Packages.xz"))
	var first []pipeline.RebuildResult

	t.Run("a rebuild during an ingest equals a replay of the final log", func(t *testing.T) {
		ctx, stopLive := context.WithCancel(context.Background())
		defer stopLive()
		var live pipeline.Services
		defer live.Close()
		projected := make(chan error, 1)
		go func() { projected <- pipeline.Project(ctx, e.opts, &live, cfg, nil, false, nil) }()

		ingested := make(chan error, 1)
		go func() {
			time.Sleep(2 * time.Second) // the rebuild is under way
			var s pipeline.Services
			defer s.Close()
			_, err := pipeline.Ingest(ctx, e.opts, &s, point, []string{"bookworm"}, false)
			ingested <- err
		}()
		e.plantStrays(t)
		var s pipeline.Services
		defer s.Close()
		res, err := pipeline.Rebuild(context.Background(), e.opts, &s, cfg, pipeline.RebuildOptions{})
		require.NoError(t, err)
		require.NoError(t, <-ingested)
		e.assertNoStrays(t)
		require.Len(t, res, len(pipeline.ProjectionNames()))
		first = res

		e.waitCaughtUp(t, projected)
		stopLive()
		require.NoError(t, <-projected)
		e.assertNoShadows(t)
		e.assertEqualsReplay(t, point)
	})

	t.Run("a rebuild interrupted while building, then while swapping, resumes and completes", func(t *testing.T) {
		require.NotEmpty(t, first)
		shadow := pipeline.ShadowDatabase(e.opts.Database, "packages")
		ctl := consumers.NewControl(e.opts.Database)
		_, err := e.rebuildUntil(t, func() bool { return e.countOrZero("SELECT count() FROM "+shadow+".packages_current") >= 20000 })
		require.ErrorIs(t, err, context.Canceled)
		require.NotZero(t, e.countOrZero("SELECT count() FROM "+shadow+".packages_current"), "the shadow stays")

		res, err := e.rebuildUntil(t, func() bool {
			state, _, err := ctl.State(context.Background(), e.conn, "packages")
			return err == nil && state == consumers.StateSwapping
		})
		require.Len(t, res, 1, "interrupted while swapping")
		full := first[slices.IndexFunc(first, func(r pipeline.RebuildResult) bool { return r.Projector == "packages" })].Events
		assert.Less(t, res[0].Events, full, "the rerun resumed instead of starting over")
		if err != nil { // else the swap was done before the interruption came
			require.ErrorIs(t, err, context.Canceled)
			var s pipeline.Services
			defer s.Close()
			_, err = pipeline.Rebuild(context.Background(), e.opts, &s, cfg, pipeline.RebuildOptions{Projectors: []string{"packages"}})
			require.NoError(t, err)
		}
		e.assertNoShadows(t)
		e.assertEqualsReplay(t, point)
	})
}

// rebuildUntil rebuilds the packages projection, cancelling the rebuild
// as soon as stop holds.
func (e *env) rebuildUntil(t *testing.T, stop func() bool) ([]pipeline.RebuildResult, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		res []pipeline.RebuildResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		var s pipeline.Services
		defer s.Close()
		res, err := pipeline.Rebuild(ctx, e.opts, &s, e.config(""), pipeline.RebuildOptions{Projectors: []string{"packages"}})
		done <- result{res, err}
	}()
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		select {
		case r := <-done:
			return r.res, r.err
		default:
		}
		require.True(t, time.Now().Before(deadline), "the rebuild never got there")
		if stop() {
			cancel()
			r := <-done
			return r.res, r.err
		}
	}
}

// strays are rows no projection writes, as an older projection logic
// might have left: a swap leaves none, whether its partition is one the
// rebuild has (unpartitioned tables: the one partition) or not (history
// of 2001). Each is a statement planting it and a count that must be 0.
var strays = [][2]string{
	{"INSERT INTO {{db}}.packages_current (repository_id, key, sequence) SELECT 'stray', 'stray', 1",
		"SELECT count() FROM {{db}}.packages_current WHERE repository_id = 'stray'"},
	{"INSERT INTO {{db}}.package_history_current (repository_id, sequence, key, snapshot_time) SELECT 'stray', 1, 'stray', toDateTime('2001-01-01 00:00:00')",
		"SELECT count() FROM {{db}}.package_history_current WHERE repository_id = 'stray'"},
	{"INSERT INTO {{db}}.projects_current (project) SELECT 'stray'", "SELECT count() FROM {{db}}.projects_current WHERE project = 'stray'"},
	{"INSERT INTO {{db}}.maintainer_strings (id, value) SELECT 1, 'stray'", "SELECT count() FROM {{db}}.maintainer_strings WHERE value = 'stray'"},
	{"INSERT INTO {{db}}.link_urls (link_id, url) SELECT 1, 'stray'", "SELECT count() FROM {{db}}.link_urls WHERE url = 'stray'"},
}

func (e *env) plantStrays(t *testing.T) {
	t.Helper()
	for _, s := range strays {
		require.NoError(t, e.conn.Exec(context.Background(), strings.ReplaceAll(s[0], "{{db}}", e.opts.Database)))
		require.EqualValues(t, 1, e.count(t, s[1]), s[1])
	}
}

func (e *env) assertNoStrays(t *testing.T) {
	t.Helper()
	for _, s := range strays {
		assert.Zero(t, e.count(t, s[1]), s[1])
	}
}

// waitCaughtUp waits until every live group has consumed the whole log.
func (e *env) waitCaughtUp(t *testing.T, projected <-chan error) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for _, name := range pipeline.ProjectionNames() {
		for {
			lag, err := bus.Lag(context.Background(), e.opts.KafkaBrokers, consumers.Group(name), e.topic)
			require.NoError(t, err)
			total := int64(0)
			for _, n := range lag {
				total += n
			}
			if total == 0 {
				break
			}
			select {
			case err := <-projected:
				t.Fatalf("the live projectors stopped: %v", err)
			default:
			}
			require.True(t, time.Now().Before(deadline), "live %s never caught up (lag %d)", name, total)
			time.Sleep(100 * time.Millisecond)
		}
	}
}

func (e *env) assertNoShadows(t *testing.T) {
	t.Helper()
	assert.Zero(t, e.countOrZero(fmt.Sprintf("SELECT count() FROM system.databases WHERE name LIKE '%s_shadow_%%'", e.opts.Database)))
	for _, name := range pipeline.ProjectionNames() {
		state, _, err := consumers.NewControl(e.opts.Database).State(context.Background(), e.conn, name)
		require.NoError(t, err)
		assert.Equal(t, consumers.StateDone, state, name)
	}
}

// assertEqualsReplay replays the log from scratch into another database
// and compares every table of every projection, and the ledger rows, with
// e's.
func (e *env) assertEqualsReplay(t *testing.T, cfg *config.Config) {
	t.Helper()
	ro := e.opts
	ro.Database = e.opts.Database + "_replay"
	suffix := fmt.Sprintf(".replay-%d", time.Now().UnixNano())
	t.Cleanup(func() { _ = e.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+ro.Database) })
	require.NoError(t, e.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+ro.Database))
	var s pipeline.Services
	defer s.Close()
	require.NoError(t, pipeline.ReplayForTest(context.Background(), ro, &s, cfg, suffix))

	for name, tables := range pipeline.OwnedTablesForTest() {
		for _, table := range tables {
			want := e.tableDigest(t, ro.Database, table, "")
			assert.Equal(t, want, e.tableDigest(t, e.opts.Database, table, ""), "%s: %s", name, table)
		}
		for _, table := range []string{"snapshot_markers", "watermarks"} {
			want := e.tableDigest(t, ro.Database, table, name+suffix)
			assert.Equal(t, want, e.tableDigest(t, e.opts.Database, table, name), "%s: %s", name, table)
		}
	}
}

// tableDigest fingerprints a table's distinct rows (after FINAL for a
// ReplacingMergeTree), leaving out the time-of-write columns; for a ledger
// table, the rows of projector, without the projector column.
func (e *env) tableDigest(t *testing.T, database, table, projector string) string {
	t.Helper()
	ctx := context.Background()
	var engine string
	require.NoError(t, e.conn.QueryRow(ctx, "SELECT engine FROM system.tables WHERE database = ? AND name = ?", database, table).Scan(&engine))
	rows, err := e.conn.Query(ctx, "SELECT name FROM system.columns WHERE database = ? AND table = ?", database, table)
	require.NoError(t, err)
	var cols []string
	for rows.Next() {
		var c string
		require.NoError(t, rows.Scan(&c))
		if c != "recorded" && c != "updated" && c != "projector" {
			cols = append(cols, c)
		}
	}
	require.NoError(t, rows.Err())
	rows.Close()
	final, where := "", ""
	if strings.HasPrefix(engine, "Replacing") {
		final = " FINAL"
	}
	if projector != "" {
		where = fmt.Sprintf(" WHERE projector = '%s'", projector)
	}
	list := strings.Join(cols, ", ")
	q := fmt.Sprintf("SELECT count(), sum(cityHash64(%s)) FROM (SELECT DISTINCT %s FROM %s.%s%s%s)", list, list, database, table, final, where)
	var n, h uint64
	require.NoError(t, e.conn.QueryRow(ctx, q).Scan(&n, &h))
	return fmt.Sprintf("%d rows, %x", n, h)
}
