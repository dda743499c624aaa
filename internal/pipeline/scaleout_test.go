package pipeline_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	prefix := strings.ReplaceAll(e.topic, "-", "_") + "_"
	a, b := newMember(t, e, e.opts.Database, prefix, false), newMember(t, e, e.opts.Database, prefix, false)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	a.run(ctx, &wg, errs)
	b.run(ctx, &wg, errs)
	time.Sleep(3 * time.Second) // let both join the groups before the first snapshot

	start := time.Now()
	sources := map[string]string{}
	var s pipeline.Services
	defer s.Close()
	for i, r := range scaleOutRounds {
		if i > 0 {
			// Snapshot times have whole seconds: a tie is broken by repository
			// id, which would make the order of promotions, hence the history
			// views, depend on batch boundaries.
			time.Sleep(1100 * time.Millisecond)
		}
		sources[r[0]] = r[1]
		_, err := pipeline.Ingest(ctx, e.opts, &s, e.updatesAndSecurity(sources), []string{r[0]}, true)
		require.NoError(t, err)
	}
	waitPromoted(t, e, a.conn, prefix, map[string]uint64{"bookworm-updates": 3, "bookworm-security": 2}, errs)
	t.Logf("two members projected the %d snapshots in %s", len(scaleOutRounds), time.Since(start).Round(time.Millisecond))
	cancel()
	wg.Wait()
	for i := range a.projectors {
		sa, sb := a.projectors[i].Stats(), b.projectors[i].Stats()
		t.Logf("%s: member a %d events, member b %d events", a.projectors[i].Group(), sa.Events, sb.Events)
		assert.NotZero(t, sa.Events, "member a of %s got partitions", a.projectors[i].Group())
		assert.NotZero(t, sb.Events, "member b of %s got partitions", b.projectors[i].Group())
	}

	ref := e.opts.Database + "_one"
	require.NoError(t, e.conn.Exec(context.Background(), "CREATE DATABASE IF NOT EXISTS "+ref))
	t.Cleanup(func() { _ = e.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+ref) })
	one := newMember(t, e, ref, prefix+"one_", true)
	start = time.Now()
	var wg1 sync.WaitGroup
	one.run(context.Background(), &wg1, errs)
	wg1.Wait()
	t.Logf("one member replayed the log in %s", time.Since(start).Round(time.Millisecond))
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assertSameViews(t, e.conn, ref, e.opts.Database, append(currentViews, historyViews...))
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
		select {
		case err := <-errs:
			require.NoError(t, err)
		default:
		}
		require.True(t, time.Now().Before(deadline), "snapshots not promoted in time")
		time.Sleep(100 * time.Millisecond)
	}
}
