package verify_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/eventlog"
	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/internal/verify"
)

func corpus(name string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "debian", name))
	if err != nil {
		panic(err)
	}
	return p
}

// env is a pipeline run over two small repositories (bookworm-updates and
// bookworm-security), in its own database and topic.
type env struct {
	db   string
	conn driver.Conn
	log  *eventlog.Log
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	brokers, addr, topic := testenv.Kafka(t), testenv.ClickHouse(t), testenv.Topic(t)
	db := strings.ReplaceAll(strings.ToLower(topic), "-", "_")
	conn, err := chdb.Open(ctx, chdb.Options{Addr: addr, Database: db, CreateDatabase: true})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db)
		conn.Close()
	})
	share := 0.5
	repo := func(name, file string) config.Repository {
		return config.Repository{Name: name, Family: "debian", Distribution: "debian", Format: "debian",
			Release: name, Component: "main", Architecture: "amd64", Source: corpus(file)}
	}
	cfg := &config.Config{Topic: topic, Partitions: 4, MaxRemovalShare: &share, Repositories: []config.Repository{
		repo("bookworm-updates", "bookworm-updates_main_amd64_Packages.xz"),
		repo("bookworm-security", "bookworm-security_main_amd64_Packages.xz"),
	}}
	opts := pipeline.Options{DataDir: t.TempDir(), KafkaBrokers: brokers, ClickHouseAddr: addr, Database: db}
	var s pipeline.Services
	defer s.Close()
	require.NoError(t, pipeline.Run(ctx, opts, &s, cfg, pipeline.RunOptions{Once: true}))
	log, err := eventlog.Open(ctx, eventlog.Config{Brokers: brokers, Topic: topic})
	require.NoError(t, err)
	t.Cleanup(func() { log.Close() })
	return &env{db: db, conn: conn, log: log}
}

func (e *env) verify(t *testing.T, repair bool) (*verify.Report, string) {
	t.Helper()
	var out bytes.Buffer
	rep, err := verify.Run(context.Background(), e.conn, verify.Options{Database: e.db, Repair: repair, Log: e.log, Out: &out})
	require.NoError(t, err)
	return rep, out.String()
}

func (e *env) exec(t *testing.T, query string) {
	t.Helper()
	require.NoError(t, e.conn.Exec(context.Background(), strings.ReplaceAll(query, "{{db}}", e.db)))
}

// columns lists a table's columns, each as written or replaced by the
// expression in set.
func (e *env) columns(t *testing.T, table string, set map[string]string) (names, exprs string) {
	t.Helper()
	rows, err := e.conn.Query(context.Background(), "SELECT name FROM system.columns WHERE database = ? AND table = ?", e.db, table)
	require.NoError(t, err)
	defer rows.Close()
	var ns, xs []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		ns = append(ns, n)
		if x, ok := set[n]; ok {
			n = x
		}
		xs = append(xs, n)
	}
	return strings.Join(ns, ", "), strings.Join(xs, ", ")
}

// rewrite inserts one row of table again (the first where holds) with
// the columns of set replaced.
func (e *env) rewrite(t *testing.T, table, where string, set map[string]string) {
	t.Helper()
	names, exprs := e.columns(t, table, set)
	e.exec(t, fmt.Sprintf("INSERT INTO {{db}}.%s (%s) SELECT %s FROM {{db}}.%s FINAL WHERE %s ORDER BY %s LIMIT 1",
		table, names, exprs, table, where, strings.SplitN(names, ",", 2)[0]))
}

func TestVerifyFindsAndRepairsACorruptedRowOfEveryTable(t *testing.T) {
	e := newEnv(t)
	rep, out := e.verify(t, false)
	require.Zero(t, rep.Differences, out)
	require.Empty(t, rep.Skipped)
	names := map[string]bool{}
	for _, s := range rep.Summaries {
		names[s.Check] = true
		assert.Equal(t, s.WantChecksum, s.GotChecksum, s.String())
	}
	assert.Len(t, names, 10, "every check has rows")
	t.Logf("clean pipeline:\n%s", out)

	cases := []struct {
		check   string
		corrupt func(t *testing.T)
		repairs bool
	}{
		{"packages", func(t *testing.T) {
			e.rewrite(t, "packages_current", "deleted = 0", map[string]string{"sequence": "sequence + 1000", "version": "'9:corrupt'"})
		}, true},
		{"package_history", func(t *testing.T) {
			e.rewrite(t, "package_history_current", "event = 'appeared'", map[string]string{"event": "'changed'"})
		}, false},
		{"projects", func(t *testing.T) {
			e.rewrite(t, "projects_current", "deleted = 0", map[string]string{"generation": "generation + 1000", "num_packages": "num_packages + 1"})
		}, true},
		{"project_repositories", func(t *testing.T) {
			e.rewrite(t, "project_repositories_current", "deleted = 0", map[string]string{"generation": "generation + 1000", "best_version": "'0'"})
		}, true},
		{"package_statuses", func(t *testing.T) {
			e.exec(t, "ALTER TABLE {{db}}.package_statuses_current DELETE WHERE key IN (SELECT key FROM {{db}}.package_statuses_current ORDER BY project, key LIMIT 1)")
		}, true},
		{"repositories", func(t *testing.T) {
			e.rewrite(t, "repositories_current", "1 = 1", map[string]string{"generation": "generation + 1000", "num_packages": "num_packages + 5"})
		}, true},
		{"statistics", func(t *testing.T) {
			e.rewrite(t, "statistics_current", "1 = 1", map[string]string{"generation": "generation + 1000", "num_projects": "num_projects + 1"})
		}, true},
		{"maintainers", func(t *testing.T) {
			e.rewrite(t, "maintainer_counts", "repository_id = '' AND num_packages > 0", map[string]string{"version": "version + 1000", "num_packages": "num_packages + 1"})
		}, true},
		{"maintainer_repositories", func(t *testing.T) { // an extra row
			e.rewrite(t, "maintainer_counts", "repository_id != '' AND num_packages > 0", map[string]string{"maintainer_id": "toUInt64(42)"})
		}, true},
		{"links", func(t *testing.T) {
			e.rewrite(t, "link_counts", "num_packages > 0", map[string]string{"version": "version + 1000", "num_repos": "num_repos + 1"})
		}, true},
	}
	for _, c := range cases {
		t.Run(c.check, func(t *testing.T) {
			c.corrupt(t)
			rep, out := e.verify(t, true)
			assert.EqualValues(t, 1, rep.Differences, out)
			diffs := diffLines(out)
			require.Len(t, diffs, 1, out)
			assert.True(t, strings.HasPrefix(diffs[0], c.check+" "), diffs[0])
			t.Log(diffs[0])
			for _, s := range rep.Summaries {
				if s.Differences > 0 {
					assert.Equal(t, c.check, s.Check)
					assert.NotEqual(t, s.WantChecksum, s.GotChecksum)
				}
			}
			if !c.repairs {
				require.Len(t, rep.Unrepaired, 1)
				assert.Contains(t, rep.Unrepaired[0], c.check)
				e.rewrite(t, "package_history_current", "event = 'changed' AND old_checksum = 0", map[string]string{"event": "'appeared'"})
			} else {
				assert.EqualValues(t, 1, rep.Repaired)
			}
			rep, out = e.verify(t, false)
			assert.Zero(t, rep.Differences, out)
		})
	}
}

// diffLines returns the difference lines of verify's output.
func diffLines(out string) []string {
	var diffs []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && !strings.HasPrefix(l, "summary ") {
			diffs = append(diffs, l)
		}
	}
	return diffs
}

func TestAnInterruptedVerifyResumesWhereItStopped(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	finished := 0
	_, err := verify.Run(ctx, e.conn, verify.Options{Database: e.db, RunID: "run-1", Log: e.log,
		Progress: func(check string, done bool, _ []verify.Summary) {
			if done {
				if finished++; finished == 3 {
					cancel()
				}
			}
		}})
	require.ErrorIs(t, err, context.Canceled)

	var checked []string
	rep, err := verify.Run(context.Background(), e.conn, verify.Options{Database: e.db, RunID: "run-1", Log: e.log,
		Progress: func(check string, done bool, _ []verify.Summary) {
			if done {
				checked = append(checked, check)
			}
		}})
	require.NoError(t, err)
	assert.Len(t, rep.Resumed, 3)
	assert.Len(t, checked, 10-3)
	assert.Zero(t, rep.Differences)
	latest, err := verify.LatestRun(context.Background(), e.conn, e.db)
	require.NoError(t, err)
	assert.Equal(t, "run-1", latest)
}
