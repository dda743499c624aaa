package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/projections/links"
	"github.com/repodelta/repodelta/projections/maintainers"
	"github.com/repodelta/repodelta/projections/packages"
	"github.com/repodelta/repodelta/projections/projects"
)

// member is one process's worth of projectors: one per projection, with
// its own ClickHouse connection.
type member struct {
	conn       driver.Conn
	projectors []*consumers.Projector
}

// newMember starts projectors of every projection, named with prefix
// (their consumer groups), writing to database db of e's server.
func newMember(t *testing.T, e *env, db, prefix string, once bool) *member {
	t.Helper()
	ctx := context.Background()
	o := e.opts
	o.Database = db
	var s pipeline.Services
	t.Cleanup(func() { s.Close() })
	conn, err := pipeline.OpenClickHouse(ctx, o, &s)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	m := &member{conn: conn}
	for _, p := range []consumers.Projection{
		packages.NewNamed(db, prefix+packages.Name), projects.NewNamed(db, prefix+projects.Name),
		maintainers.NewNamed(db, prefix+maintainers.Name), links.NewNamed(db, prefix+links.Name),
	} {
		r, err := consumers.NewProjector(ctx, p, conn, consumers.Config{
			Consumer: bus.ConsumerConfig{Brokers: e.opts.KafkaBrokers, Partitions: 4},
			Topic:    e.topic, Once: once,
		})
		require.NoError(t, err)
		t.Cleanup(func() { r.Close() })
		m.projectors = append(m.projectors, r)
	}
	return m
}

// run runs the member's projectors until ctx ends (or, with once, until
// they caught up).
func (m *member) run(ctx context.Context, wg *sync.WaitGroup, errs chan<- error) {
	for _, r := range m.projectors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.Run(ctx); err != nil {
				errs <- err
			}
		}()
	}
}

// scaleOutRounds are the ingests of the test: bookworm-updates and
// bookworm-security, then each forced to the other's index (so that their
// projects cross), then bookworm-updates back to its own.
var scaleOutRounds = [][2]string{
	{"bookworm-updates", "bookworm-updates_main_amd64_Packages.xz"},
	{"bookworm-security", "bookworm-security_main_amd64_Packages.xz"},
	{"bookworm-updates", "bookworm-security_main_amd64_Packages.xz"},
	{"bookworm-security", "bookworm-updates_main_amd64_Packages.xz"},
	{"bookworm-updates", "bookworm-updates_main_amd64_Packages.xz"},
}

func (e *env) updatesAndSecurity(sources map[string]string) *config.Config {
	cfg := e.config("")
	cfg.Repositories = nil
	for _, name := range []string{"bookworm-updates", "bookworm-security"} {
		cfg.Repositories = append(cfg.Repositories, config.Repository{
			Name: name, Family: "debian", Distribution: "debian", Format: "debian",
			Release: name, Component: "main", Architecture: "amd64", Source: corpus(sources[name]),
		})
	}
	return cfg
}

func TestTwoProjectorProcessesEqualOne(t *testing.T) {
	e := newEnv(t)
	bin := buildCLI(t)
	cfgFile := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfgFile, []byte(fmt.Sprintf("topic: %s\npartitions: 4\n", e.topic)), 0o644))
	var s pipeline.Services
	defer s.Close()
	// The topic exists before the processes subscribe to it.
	require.NoError(t, bus.EnsureTopic(context.Background(), e.opts.KafkaBrokers, e.topic, 4))
	for range 2 {
		cmd := e.cli(bin, cfgFile, "project")
		var out lockedBuffer
		cmd.Stdout, cmd.Stderr = &out, &out
		require.NoError(t, cmd.Start())
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			if t.Failed() {
				t.Logf("%s:\n%s", cmd.Args, out.String())
			}
		})
	}
	waitMembers(t, e, 2)

	start := time.Now()
	sources := map[string]string{}
	for i, r := range scaleOutRounds {
		if i > 0 {
			// Snapshot times have whole seconds: a tie is broken by repository
			// id, which would make the order of promotions, hence the history
			// views, depend on batch boundaries.
			time.Sleep(1100 * time.Millisecond)
		}
		sources[r[0]] = r[1]
		_, err := pipeline.Ingest(context.Background(), e.opts, &s, e.updatesAndSecurity(sources), []string{r[0]}, true)
		require.NoError(t, err)
	}
	waitPromoted(t, e, e.conn, "", map[string]uint64{"bookworm-updates": 3, "bookworm-security": 2}, nil)
	t.Logf("two processes projected the %d snapshots in %s", len(scaleOutRounds), time.Since(start).Round(time.Millisecond))
	groups := assignments(t, e)
	require.Len(t, groups, len(pipeline.ProjectionNames()))
	t.Logf("partitions per member: %v", groups)
	for group, parts := range groups {
		require.Len(t, parts, 2, "%s has two members", group)
		for _, n := range parts {
			assert.NotZero(t, n, "every member of %s has partitions: %v", group, parts)
		}
	}

	ref := e.opts.Database + "_one"
	require.NoError(t, e.conn.Exec(context.Background(), "CREATE DATABASE IF NOT EXISTS "+ref))
	t.Cleanup(func() { _ = e.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+ref) })
	prefix := strings.ReplaceAll(e.topic, "-", "_") + "_one_"
	one := newMember(t, e, ref, prefix, true)
	start = time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	one.run(context.Background(), &wg, errs)
	wg.Wait()
	t.Logf("one process replayed the log in %s", time.Since(start).Round(time.Millisecond))
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assertSameViews(t, e.conn, ref, e.opts.Database, append(currentViews, historyViews...))
}

// waitMembers waits until every projection's group has n members.
func waitMembers(t *testing.T, e *env, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		done := true
		for _, parts := range assignments(t, e) {
			done = done && len(parts) == n
		}
		if done {
			return
		}
		require.True(t, time.Now().Before(deadline), "the processes never joined the groups: %v", assignments(t, e))
		time.Sleep(200 * time.Millisecond)
	}
}

// assignments returns, per projection group, how many partitions of e's
// topic each member holds.
func assignments(t *testing.T, e *env) map[string][]int {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(e.opts.KafkaBrokers...), Transport: &kafka.Transport{}}
	groups := make([]string, 0, 4)
	for _, name := range pipeline.ProjectionNames() {
		groups = append(groups, consumers.Group(name))
	}
	resp, err := c.DescribeGroups(context.Background(), &kafka.DescribeGroupsRequest{GroupIDs: groups})
	require.NoError(t, err)
	out := map[string][]int{}
	for _, g := range resp.Groups {
		out[g.GroupID] = []int{}
		for _, m := range g.Members {
			n := 0
			for _, tp := range m.MemberAssignments.Topics {
				if tp.Topic == e.topic {
					n += len(tp.Partitions)
				}
			}
			out[g.GroupID] = append(out[g.GroupID], n)
		}
	}
	return out
}

// waitPromoted waits until every projection's watermarks show the given
// sequences (by repository name, as release).
func waitPromoted(t *testing.T, e *env, conn driver.Conn, prefix string, want map[string]uint64, errs <-chan error) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		done := true
		for _, p := range pipeline.ProjectionNames() {
			got, err := consumers.NewLedger(e.opts.Database, prefix+p).Committed(context.Background(), conn)
			require.NoError(t, err)
			for release, seq := range want {
				if got["debian/debian/"+release+"/main/amd64"] < seq {
					done = false
				}
			}
		}
		if done {
			return
		}
		if errs != nil {
			select {
			case err := <-errs:
				require.NoError(t, err)
			default:
			}
		}
		require.True(t, time.Now().Before(deadline), "snapshots not promoted in time")
		time.Sleep(100 * time.Millisecond)
	}
}
