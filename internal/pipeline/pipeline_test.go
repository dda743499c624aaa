package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/internal/testenv"
)

func corpus(name string) string {
	p, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "debian", name))
	if err != nil {
		panic(err)
	}
	return p
}

// env is one pipeline under test: its own topic, database and data dir
// over the shared test broker and ClickHouse server.
type env struct {
	opts  pipeline.Options
	topic string
	conn  driver.Conn
}

func newEnv(t *testing.T) *env {
	t.Helper()
	brokers := testenv.Kafka(t)
	addr := testenv.ClickHouse(t)
	db := strings.ReplaceAll(strings.ToLower(testenv.Topic(t)), "-", "_")
	e := &env{
		opts:  pipeline.Options{DataDir: t.TempDir(), KafkaBrokers: brokers, ClickHouseAddr: addr, Database: db},
		topic: testenv.Topic(t),
	}
	conn, err := chdb.Open(context.Background(), chdb.Options{Addr: addr, Database: db, CreateDatabase: true})
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db)
		conn.Close()
	})
	e.conn = conn
	return e
}

// config is a one-repository configuration reading source.
func (e *env) config(source string) *config.Config {
	share := 0.5
	return &config.Config{
		Topic: e.topic, Partitions: 4, MaxRemovalShare: &share,
		Repositories: []config.Repository{{
			Name: "bookworm", Family: "debian", Distribution: "debian", Format: "debian",
			Release: "bookworm", Component: "main", Architecture: "amd64", Source: source,
		}},
	}
}

func (e *env) run(t *testing.T, source string) {
	t.Helper()
	var s pipeline.Services
	defer s.Close()
	require.NoError(t, pipeline.Run(context.Background(), e.opts, &s, e.config(source), pipeline.RunOptions{Once: true}))
}

func (e *env) count(t *testing.T, query string) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, e.conn.QueryRow(context.Background(), strings.ReplaceAll(query, "{{db}}", e.opts.Database)).Scan(&n))
	return n
}

func TestAPointReleaseProjectsExactlyItsDelta(t *testing.T) {
	e := newEnv(t)
	e.run(t, corpus("bookworm_main_amd64_Packages.xz"))
	assert.EqualValues(t, 63440, e.count(t, "SELECT count() FROM {{db}}.packages"))
	assert.EqualValues(t, 63440, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE event = 'appeared'"))

	e.run(t, corpus("bookworm-point_main_amd64_Packages.xz"))
	assert.EqualValues(t, 63666, e.count(t, "SELECT count() FROM {{db}}.packages"))
	assert.EqualValues(t, 63666, e.count(t, "SELECT uniqExact(key) FROM {{db}}.packages"))
	assert.EqualValues(t, 1250, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE sequence = 2"))
	assert.EqualValues(t, 230, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE sequence = 2 AND event = 'appeared'"))
	assert.EqualValues(t, 1016, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE sequence = 2 AND event = 'changed'"))
	assert.EqualValues(t, 4, e.count(t, "SELECT count() FROM {{db}}.package_history WHERE sequence = 2 AND event = 'disappeared'"))
	assert.EqualValues(t, 1016, e.count(t, `SELECT count() FROM {{db}}.package_history
		WHERE sequence = 2 AND event = 'changed' AND old_version != '' AND new_version != '' AND old_version != new_version`))
	assert.EqualValues(t, 1016+230, e.count(t, "SELECT count() FROM {{db}}.packages WHERE sequence = 2"))

	before := e.count(t, "SELECT count() FROM {{db}}.package_history_current")
	e.run(t, corpus("bookworm-point_main_amd64_Packages.xz"))
	assert.Equal(t, before, e.count(t, "SELECT count() FROM {{db}}.package_history_current"), "nothing changed: nothing new written")
	assert.EqualValues(t, 63666, e.count(t, "SELECT count() FROM {{db}}.packages"))
	assert.EqualValues(t, 0, e.count(t, "SELECT count() FROM {{db}}.packages WHERE sequence = 3"))
}

// digest is an order-independent fingerprint of a table's content, leaving
// out snapshot_time (two ingests of the same files differ only there).
func (e *env) digest(t *testing.T, table string, cols string) string {
	t.Helper()
	var n, h uint64
	q := fmt.Sprintf("SELECT count(), groupBitXor(cityHash64(%s)) FROM %s.%s", cols, e.opts.Database, table)
	require.NoError(t, e.conn.QueryRow(context.Background(), q).Scan(&n, &h))
	return fmt.Sprintf("%d rows, %x", n, h)
}

const (
	packageCols = "repository_id, key, project, name, version, checksum, sequence, maintainer_email, homepage, depends, tags, uploaders"
	historyCols = "repository_id, key, project, sequence, event, old_version, new_version, old_checksum, new_checksum"
)

func TestAProjectorKilledMidwayEndsWithTheSameTables(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "repodelta")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/repodelta")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	ref := newEnv(t)
	ref.run(t, corpus("bookworm_main_amd64_Packages.xz"))

	killed := newEnv(t)
	cfg := killed.config(corpus("bookworm_main_amd64_Packages.xz"))
	var s pipeline.Services
	defer s.Close()
	_, err := pipeline.Ingest(context.Background(), killed.opts, &s, cfg, nil, false)
	require.NoError(t, err)
	cfgFile := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgFile, []byte(fmt.Sprintf(`topic: %s
partitions: 4
repositories:
  - {name: bookworm, family: debian, format: debian, release: bookworm, component: main, architecture: amd64, source: %s}
`, killed.topic, corpus("bookworm_main_amd64_Packages.xz"))), 0o644))

	cmd := exec.Command(bin, "--data-dir", killed.opts.DataDir, "--config", cfgFile,
		"--kafka-brokers", strings.Join(killed.opts.KafkaBrokers, ","), "--clickhouse-addr", killed.opts.ClickHouseAddr,
		"--clickhouse-database", killed.opts.Database, "project", "--once")
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(2 * time.Minute)
	for killed.countOrZero("SELECT count() FROM {{db}}.packages_pending") < 5000 {
		require.True(t, time.Now().Before(deadline), "the projector never got going")
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.Less(t, killed.countOrZero("SELECT count() FROM {{db}}.packages"), uint64(63440), "killed before it finished")

	require.NoError(t, pipeline.Project(context.Background(), killed.opts, &s, cfg, nil, true, nil))
	assert.Equal(t, ref.digest(t, "packages", packageCols), killed.digest(t, "packages", packageCols))
	assert.Equal(t, ref.digest(t, "package_history", historyCols), killed.digest(t, "package_history", historyCols))
}

// countOrZero is count for polling: a table not there yet counts 0.
func (e *env) countOrZero(query string) uint64 {
	var n uint64
	if err := e.conn.QueryRow(context.Background(), strings.ReplaceAll(query, "{{db}}", e.opts.Database)).Scan(&n); err != nil {
		return 0
	}
	return n
}
