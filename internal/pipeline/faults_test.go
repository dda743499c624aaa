package pipeline_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/eventlog"
	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/internal/verify"
	"github.com/repodelta/repodelta/projections/links"
	"github.com/repodelta/repodelta/projections/maintainers"
	"github.com/repodelta/repodelta/projections/packages"
	"github.com/repodelta/repodelta/projections/projects"
)

// The fault tests use bookworm-security (3,003 packages) projected in small
// batches, so that a fault lands in the middle of many batches without
// loading the whole of bookworm.
const (
	securityPackages = 3003
	faultBatchSize   = 250
)

// TestAProjectorKilledAtEachPointEndsLikeAReplay kills `repodelta project`
// with SIGKILL at each failpoint of the projector loop, in the middle of
// the log, restarts it, and compares every table of the query surface with
// a replay of the same topic from offset zero into a fresh database.
func TestAProjectorKilledAtEachPointEndsLikeAReplay(t *testing.T) {
	bin := buildCLI(t)
	for _, point := range []string{consumers.AfterFetch, consumers.AfterApply, consumers.AfterCommit} {
		t.Run(point, func(t *testing.T) {
			e := newEnv(t)
			cfgFile := e.ingestSecurity(t)
			total := int64(securityPackages + 2*4) // and both markers on each partition

			// 4 projectors of ~13 batches each: the 20th batch of the
			// process is in the middle of the log.
			failpoint := fmt.Sprintf("%s:20,batch-size=%d", point, faultBatchSize)
			killed := e.cli(bin, cfgFile, "project", "--once")
			killed.Env = append(os.Environ(), consumers.FailpointEnv+"="+failpoint)
			start := time.Now()
			state, out := runFor(t, killed, 2*time.Minute)
			ws, _ := state.Sys().(syscall.WaitStatus)
			require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "the failpoint killed the projector (%s): %s", state, out)
			left := e.lag(t, names()...)
			t.Logf("killed %s after %s: %d of %d records left uncommitted over the four groups",
				failpoint, time.Since(start).Round(time.Millisecond), left, 4*total)
			require.Greater(t, left, int64(0), "killed before the end")
			require.Less(t, left, 4*total, "killed after some commits")

			start = time.Now()
			state, out = runFor(t, e.cli(bin, cfgFile, "project", "--once"), 2*time.Minute)
			require.True(t, state.Success(), "the restarted projector finished: %s", out)
			t.Logf("the restarted projector caught up in %s", time.Since(start).Round(time.Millisecond))
			assert.Zero(t, e.lag(t, names()...), "caught up after the restart")

			replayDB := e.replay(t, e.opts.ClickHouseAddr, 0)
			assert.Equal(t, surface(t, e.conn, replayDB, true), surface(t, e.conn, e.opts.Database, true))
			assert.EqualValues(t, securityPackages, e.count(t, "SELECT count() FROM {{db}}.packages"))
			e.assertVerified(t, e.conn)
		})
	}
}

// TestAKilledBrokerLosesNothingAcknowledged runs `repodelta broker` on a
// data directory, kills it with SIGKILL after an acknowledged ingest and
// again after acknowledged offset commits, and restarts it on the same
// directory: every acknowledged event and commit is still there.
func TestAKilledBrokerLosesNothingAcknowledged(t *testing.T) {
	bin := buildCLI(t)
	dataDir := t.TempDir()
	e := newEnv(t)
	brokerCmd, addr := startBroker(t, bin, dataDir)
	e.opts.KafkaBrokers = []string{addr}

	cfg := e.config(corpus("bookworm-security_main_amd64_Packages.xz"))
	var s pipeline.Services
	defer s.Close()
	res, err := pipeline.Ingest(context.Background(), e.opts, &s, cfg, nil, false)
	require.NoError(t, err)
	require.Len(t, res, 1)
	require.EqualValues(t, securityPackages, res[0].Counts.Appeared, "every event acknowledged")

	killBroker(t, brokerCmd)
	brokerCmd, again := startBroker(t, bin, dataDir)
	require.Equal(t, addr, again, "restarted on the remembered port")

	ids := readIDs(t, e.opts.KafkaBrokers, e.topic)
	appeared := 0
	for id, n := range ids {
		assert.Equal(t, 1, n, "%s stored once", id)
		if !strings.Contains(id, "!") {
			appeared++
		}
	}
	assert.Equal(t, securityPackages, appeared, "every acknowledged package event survived the kill")
	assert.Len(t, ids, securityPackages+2*cfg.Partitions, "and both markers on every partition")

	s2 := pipeline.Services{}
	defer s2.Close()
	require.NoError(t, pipeline.Project(context.Background(), e.opts, &s2, cfg, nil, true, nil))
	assert.EqualValues(t, securityPackages, e.count(t, "SELECT count() FROM {{db}}.packages"))
	assert.EqualValues(t, securityPackages, e.count(t, "SELECT count() FROM {{db}}.package_history"))
	e.assertVerified(t, e.conn)

	killBroker(t, brokerCmd)
	startBroker(t, bin, dataDir)
	assert.Zero(t, e.lag(t, names()...), "acknowledged offset commits survived the kill")
}

// TestClickHouseStoppedForThirtySecondsWhileProjecting stops the
// projectors' ClickHouse server in the middle of a projection for 30 s:
// the projectors back off, resume when it is back, and end with the tables
// of a replay: nothing lost, nothing doubled.
func TestClickHouseStoppedForThirtySecondsWhileProjecting(t *testing.T) {
	srv := testenv.OwnClickHouse(t)
	e := newEnv(t)
	e.opts.ClickHouseAddr = srv.Addr()
	conn, err := chdb.Open(context.Background(), chdb.Options{Addr: srv.Addr(), Database: e.opts.Database, CreateDatabase: true})
	require.NoError(t, err)
	defer conn.Close()
	e.conn = conn
	e.ingestSecurity(t)

	run := e.startProjectors(t, srv.Addr(), e.opts.Database, "", 100)
	deadline := time.Now().Add(time.Minute)
	for run.batches() < 8 {
		require.True(t, time.Now().Before(deadline), "the projectors never got going")
		time.Sleep(10 * time.Millisecond)
	}
	require.NoError(t, srv.Stop())
	stoppedAt := run.batches()
	time.Sleep(30 * time.Second)
	assert.LessOrEqual(t, run.batches(), stoppedAt+4, "at most the batches in flight got through")
	require.NoError(t, srv.Restart(context.Background()))
	require.NoError(t, run.wait(3*time.Minute))
	t.Logf("%d of %d batches done before the stop; %d retries", stoppedAt, run.batches(), run.retries())
	assert.Greater(t, run.retries(), uint64(0), "the projectors backed off while ClickHouse was down")
	assert.Zero(t, e.lag(t, names()...), "caught up after ClickHouse came back")

	replayDB := e.replay(t, srv.Addr(), 0)
	assert.Equal(t, surface(t, conn, replayDB, true), surface(t, conn, e.opts.Database, true))
	assert.EqualValues(t, securityPackages, e.count(t, "SELECT count() FROM {{db}}.packages"))
	assert.EqualValues(t, securityPackages, e.count(t, "SELECT uniqExact(key) FROM {{db}}.packages"))
	assert.EqualValues(t, securityPackages, e.count(t, "SELECT count() FROM {{db}}.package_history"))
	e.assertVerified(t, conn)
}

// TestDuplicatedEventsLeaveTheTablesUnchanged has the broker store produce
// requests but answer them with REQUEST_TIMED_OUT, so that the publisher
// sends them again and the log holds those events twice; the projected
// tables equal those of the same index ingested without duplicates.
func TestDuplicatedEventsLeaveTheTablesUnchanged(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
	require.NoError(t, err)
	defer cluster.Close()

	clean := newEnv(t)
	clean.opts.KafkaBrokers = cluster.ListenAddrs()
	clean.runOnce(t)

	dup := newEnv(t)
	dup.opts.KafkaBrokers = cluster.ListenAddrs()
	fault := cluster.Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: dup.topic, Err: kerr.RequestTimedOut, Count: 6})
	defer fault.Remove()
	dup.runOnce(t)
	require.Equal(t, 6, fault.Hits(), "six produce requests stored and answered with a timeout")

	twice := 0
	for _, n := range readIDs(t, dup.opts.KafkaBrokers, dup.topic) {
		if n > 1 {
			twice++
		}
	}
	t.Logf("%d events stored twice or more", twice)
	assert.Greater(t, twice, 0, "the log holds duplicates")
	for id, n := range readIDs(t, clean.opts.KafkaBrokers, clean.topic) {
		require.Equal(t, 1, n, "%s once in the clean log", id)
	}

	// Two ingests differ in their snapshot times only.
	assert.Equal(t, surface(t, clean.conn, clean.opts.Database, false), surface(t, dup.conn, dup.opts.Database, false))
	assert.EqualValues(t, securityPackages, dup.count(t, "SELECT count() FROM {{db}}.packages"))
	assert.EqualValues(t, securityPackages, dup.count(t, "SELECT count() FROM {{db}}.package_history"))
	dup.assertVerified(t, dup.conn)
}

// assertVerified runs verify over e's database, with e's topic as the
// event log, and asserts that every derived table equals its
// recomputation.
func (e *env) assertVerified(t *testing.T, conn driver.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log, err := eventlog.Open(ctx, eventlog.Config{Brokers: e.opts.KafkaBrokers, Topic: e.topic, Partitions: 4})
	require.NoError(t, err)
	defer log.Close()
	var out bytes.Buffer
	report, err := verify.Run(ctx, conn, verify.Options{Database: e.opts.Database, Log: log, Out: &out})
	require.NoError(t, err)
	assert.NotEmpty(t, report.Summaries, "verify checked something")
	assert.Zero(t, report.Differences, "verify finds no difference: %s", out.String())
	assert.Empty(t, report.Skipped, "verify skips no check")
}

// ingestSecurity publishes bookworm-security to e's topic and writes a
// configuration file for the CLI saying the same.
func (e *env) ingestSecurity(t *testing.T) string {
	t.Helper()
	source := corpus("bookworm-security_main_amd64_Packages.xz")
	var s pipeline.Services
	defer s.Close()
	_, err := pipeline.Ingest(context.Background(), e.opts, &s, e.config(source), nil, false)
	require.NoError(t, err)
	cfgFile := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgFile, []byte(fmt.Sprintf(`topic: %s
partitions: 4
repositories:
  - {name: bookworm, family: debian, format: debian, release: bookworm, component: main, architecture: amd64, source: %s}
`, e.topic, source)), 0o644))
	return cfgFile
}

// runOnce ingests and projects bookworm-security with every projection.
func (e *env) runOnce(t *testing.T) {
	t.Helper()
	e.runConfig(t, e.config(corpus("bookworm-security_main_amd64_Packages.xz")))
}

// cli is the CLI on e's broker, ClickHouse and database.
func (e *env) cli(bin, cfgFile string, args ...string) *exec.Cmd {
	return exec.Command(bin, append([]string{"--data-dir", e.opts.DataDir, "--config", cfgFile,
		"--kafka-brokers", strings.Join(e.opts.KafkaBrokers, ","), "--clickhouse-addr", e.opts.ClickHouseAddr,
		"--clickhouse-database", e.opts.Database}, args...)...)
}

// lag is the summed lag of the groups of the named projections on e's topic.
func (e *env) lag(t *testing.T, names ...string) int64 {
	t.Helper()
	var sum int64
	for _, n := range names {
		lag, err := bus.Lag(context.Background(), e.opts.KafkaBrokers, consumers.Group(n), e.topic)
		require.NoError(t, err)
		for _, l := range lag {
			sum += l
		}
	}
	return sum
}

func names() []string { return pipeline.ProjectionNames() }

// replay projects e's topic from offset zero under new projection names
// into a fresh database of the server at addr, and returns the database.
func (e *env) replay(t *testing.T, addr string, batchSize int) string {
	t.Helper()
	db := e.opts.Database + "_replay"
	run := e.startProjectors(t, addr, db, "-replay", batchSize)
	require.NoError(t, run.wait(3*time.Minute))
	return db
}

// running is a set of projectors running until caught up.
type running struct {
	runners []*consumers.Projector
	done    chan error
}

// startProjectors runs the four projections, named with suffix, into
// database db of the server at addr, on e's topic, until caught up.
func (e *env) startProjectors(t *testing.T, addr, db, suffix string, batchSize int) *running {
	t.Helper()
	ctx := context.Background()
	var s pipeline.Services
	conn, err := pipeline.OpenClickHouse(ctx, pipeline.Options{ClickHouseAddr: addr, Database: db}, &s)
	require.NoError(t, err)
	t.Cleanup(func() {
		if db != e.opts.Database {
			_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db)
		}
		conn.Close()
	})
	projs := []consumers.Projection{
		packages.NewNamed(db, packages.Name+suffix), projects.NewNamed(db, projects.Name+suffix),
		maintainers.NewNamed(db, maintainers.Name+suffix), links.NewNamed(db, links.Name+suffix),
	}
	r := &running{done: make(chan error, len(projs))}
	for _, p := range projs {
		pr, err := consumers.NewProjector(ctx, p, conn, consumers.Config{
			Consumer: bus.ConsumerConfig{Brokers: e.opts.KafkaBrokers, Partitions: 4},
			Topic:    e.topic, Once: true, BatchSize: batchSize,
		})
		require.NoError(t, err)
		t.Cleanup(func() { pr.Close() })
		r.runners = append(r.runners, pr)
		go func() { r.done <- pr.Run(ctx) }()
	}
	return r
}

// wait waits for every projector to return, for at most d.
func (r *running) wait(d time.Duration) error {
	timeout := time.After(d)
	var errs []error
	for range r.runners {
		select {
		case err := <-r.done:
			errs = append(errs, err)
		case <-timeout:
			return fmt.Errorf("projectors still running after %s", d)
		}
	}
	return errors.Join(errs...)
}

func (r *running) batches() (n uint64) {
	for _, p := range r.runners {
		n += p.Stats().Batches
	}
	return n
}

func (r *running) retries() (n uint64) {
	for _, p := range r.runners {
		n += p.Stats().Retries
	}
	return n
}

// querySurface are the views users query, of all four projections.
var querySurface = []string{
	"packages", "package_history", "projects", "project_repositories", "package_statuses",
	"repositories", "maintainers", "maintainer_repositories", "links",
}

// writeTime are columns saying when a row was written, which no two runs
// share.
var writeTime = map[string]bool{"recorded": true, "updated": true}

// surface digests every view of the query surface in database db over all
// its columns but the write-time ones; withTimes false also leaves out the
// DateTime columns (snapshot times, which two ingests do not share).
func surface(t *testing.T, conn driver.Conn, db string, withTimes bool) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := make(map[string]string, len(querySurface))
	for _, view := range querySurface {
		rows, err := conn.Query(ctx, "SELECT name, type FROM system.columns WHERE database = ? AND table = ?", db, view)
		require.NoError(t, err)
		var cols []string
		for rows.Next() {
			var name, typ string
			require.NoError(t, rows.Scan(&name, &typ))
			switch {
			case writeTime[name], !withTimes && strings.Contains(typ, "DateTime"):
			case strings.HasPrefix(typ, "Nullable("):
				cols = append(cols, fmt.Sprintf("ifNull(toString(%s), 'NULL')", name))
			default:
				cols = append(cols, name)
			}
		}
		require.NoError(t, rows.Err())
		rows.Close()
		require.NotEmpty(t, cols, "columns of %s.%s", db, view)
		var n, h uint64
		q := fmt.Sprintf("SELECT count(), groupBitXor(cityHash64(%s)) FROM %s.%s", strings.Join(cols, ", "), db, view)
		require.NoError(t, conn.QueryRow(ctx, q).Scan(&n, &h), q)
		out[view] = fmt.Sprintf("%d rows, %x", n, h)
	}
	return out
}

// readIDs counts each event identity in topic.
func readIDs(t *testing.T, brokers []string, topic string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log, err := eventlog.Open(ctx, eventlog.Config{Brokers: brokers, Topic: topic, Partitions: 4})
	require.NoError(t, err)
	defer log.Close()
	ids := map[string]int{}
	require.NoError(t, log.ReadAll(ctx, func(e *events.Envelope) error {
		ids[e.ID()]++
		return nil
	}))
	return ids
}

// buildCLI builds cmd/repodelta into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "repodelta")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/repodelta")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	return bin
}

// runFor runs cmd to its end, failing the test if it takes longer than d,
// and returns how it ended and what it wrote.
func runFor(t *testing.T, cmd *exec.Cmd, d time.Duration) (*os.ProcessState, string) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	timer := time.AfterFunc(d, func() { _ = cmd.Process.Kill() })
	_ = cmd.Wait()
	require.True(t, timer.Stop(), "%s still running after %s: %s", cmd.Args, d, out.String())
	return cmd.ProcessState, out.String()
}

// startBroker runs `repodelta broker` on dataDir and returns it with the
// address it listens on. The test's end kills it.
func startBroker(t *testing.T, bin, dataDir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "--data-dir", dataDir, "broker")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "broker listening on "); ok {
				found <- strings.Fields(rest)[0]
			}
		}
	}()
	select {
	case addr := <-found:
		return cmd, addr
	case <-time.After(time.Minute):
		t.Fatalf("the broker did not start: %s", stderr.String())
		return nil, ""
	}
}

// killBroker kills the broker with SIGKILL and waits until it is gone.
func killBroker(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	require.True(t, ws.Signaled(), "killed, not exited: %s", cmd.ProcessState)
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
