package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/config"
)

// BenchResult is one measured step of the pipeline benchmark.
type BenchResult struct {
	Step     string        `json:"step"`
	Source   string        `json:"source"`
	Events   int           `json:"events"`
	Duration time.Duration `json:"duration_ns"`
	// Ingest is the part of Duration spent before the snapshot was in the
	// log; the rest is the projectors catching up.
	Ingest time.Duration `json:"ingest_ns"`
}

// Bench measures the pipeline end to end with its services running: for
// each source in turn, the repository is ingested from it and the time is
// taken until every projector's committed snapshot of the repository
// reaches the new sequence. Projectors run throughout, as in production,
// so their start-up is not counted, and each step starts once ClickHouse
// has finished merging what the step before wrote.
//
// The other repositories of base are ingested first, as one untimed step,
// when withOthers is set: the steps then run against a pipeline that
// already holds them (the cross-repository projections have more to do).
//
// names selects the projectors (all when empty).
func Bench(ctx context.Context, o Options, s *Services, base *config.Config, repo config.Repository, sources []string, withOthers bool, names []string) ([]BenchResult, error) {
	if len(names) == 0 {
		names = ProjectionNames()
	}
	if _, err := selectProjections(names, o.database()); err != nil {
		return nil, err
	}
	c := *base
	cfg := &c
	cfg.Repositories = []config.Repository{repo}
	if err := s.StartKafka(ctx, o); err != nil {
		return nil, err
	}
	conn, err := OpenClickHouse(ctx, o, s)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	projected := make(chan error, 1)
	go func() { projected <- Project(ctx, o, s, cfg, names, false, nil) }()
	defer func() { cancel(); <-projected }()

	var out []BenchResult
	if withOthers {
		if err := benchOthers(ctx, o, s, base, repo, conn, names, projected); err != nil {
			return nil, err
		}
	}
	for i, src := range sources {
		if err := quiesce(ctx, conn); err != nil {
			return out, err
		}
		r := repo
		r.Source = src
		cfg.Repositories[0] = r
		start := time.Now()
		res, err := Ingest(ctx, o, s, cfg, nil, false)
		if err != nil {
			return out, err
		}
		ingested := time.Since(start)
		if err := waitCommitted(ctx, conn, o.database(), names, repo, res[0].Sequence, projected); err != nil {
			return out, err
		}
		step := "delta"
		if i == 0 {
			step = "initial load"
		}
		out = append(out, BenchResult{Step: step, Source: src, Events: res[0].Counts.Events(), Duration: time.Since(start), Ingest: ingested})
	}
	return out, nil
}

// benchOthers ingests every repository of base but repo and waits until
// the projectors have committed them.
func benchOthers(ctx context.Context, o Options, s *Services, base *config.Config, repo config.Repository, conn driver.Conn, names []string, projected <-chan error) error {
	c := *base
	c.Repositories = nil
	for _, r := range base.Repositories {
		if r.Name != repo.Name {
			c.Repositories = append(c.Repositories, r)
		}
	}
	res, err := Ingest(ctx, o, s, &c, nil, false)
	if err != nil {
		return err
	}
	for i, r := range res {
		if err := waitCommitted(ctx, conn, o.database(), names, c.Repositories[i], r.Sequence, projected); err != nil {
			return err
		}
	}
	return nil
}

// quiesce waits (up to a minute) until ClickHouse runs no merge, so a step
// is not timed against the background merging of the one before: in
// production, snapshots are hours apart.
func quiesce(ctx context.Context, conn driver.Conn) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM system.merges").Scan(&n); err != nil {
			return fmt.Errorf("reading running merges: %w", err)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// waitCommitted polls the projectors' watermarks until each has committed
// seq of repo.
func waitCommitted(ctx context.Context, conn driver.Conn, database string, names []string, repo config.Repository, seq uint64, projected <-chan error) error {
	id := repo.Identity().ID()
	for {
		done := true
		for _, name := range names {
			marks, err := consumers.NewLedger(database, name).Committed(ctx, conn)
			if err != nil {
				return err
			}
			if marks[id] < seq {
				done = false
			}
		}
		if done {
			return nil
		}
		select {
		case err := <-projected:
			return fmt.Errorf("projectors stopped: %w", errors.Join(err, errors.New("before catching up")))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond): // the poll is the measurement's resolution
		}
	}
}

// BenchRebuild measures rebuilding every projection (names; all when
// empty) from the whole log with Rebuild: shadow tables built from offset
// zero under the rebuild's consumer groups, then swapped in. Events counts
// the events applied summed over the projections (each reads the whole
// log), so Events/Duration is the throughput into all projections.
func BenchRebuild(ctx context.Context, o Options, s *Services, cfg *config.Config, names []string) (BenchResult, error) {
	start := time.Now()
	res, err := Rebuild(ctx, o, s, cfg, RebuildOptions{Projectors: names, Restart: true})
	out := BenchResult{Step: "rebuild", Source: "the whole log", Duration: time.Since(start)}
	for _, r := range res {
		out.Events += int(r.Events)
	}
	return out, err
}
