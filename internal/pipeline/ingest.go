package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/eventlog"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/formats"
	"github.com/repodelta/repodelta/producers/input"
)

// IngestResult is what one repository's ingest published.
type IngestResult struct {
	Repository string
	producers.Result
}

// IngestProgress is told, now and then while a repository is read, how
// many packages of it were read so far.
type IngestProgress func(repository string, packages int)

// Ingest takes a snapshot of each named repository (all when names is
// empty) and publishes its delta to the event log. It stops at the first
// repository that fails, returning what was published before it.
func Ingest(ctx context.Context, o Options, s *Services, cfg *config.Config, names []string, force bool) ([]IngestResult, error) {
	return IngestWithProgress(ctx, o, s, cfg, names, force, nil)
}

// IngestWithProgress is Ingest reporting progress to show (nil: none).
func IngestWithProgress(ctx context.Context, o Options, s *Services, cfg *config.Config, names []string, force bool, show IngestProgress) ([]IngestResult, error) {
	repos, err := selectRepositories(cfg, names)
	if err != nil {
		return nil, err
	}
	if err := s.StartKafka(ctx, o); err != nil {
		return nil, err
	}
	log, err := eventlog.Open(ctx, eventlog.Config{Brokers: s.Brokers, Topic: cfg.Topic, Partitions: cfg.Partitions})
	if err != nil {
		return nil, err
	}
	defer log.Close()
	store, err := s.Store(o)
	if err != nil {
		return nil, err
	}
	in := &producers.Ingester{Store: store, Log: log, SpoolDir: store.Dir()}
	var out []IngestResult
	for _, r := range repos {
		req, err := request(ctx, cfg, r, force)
		if err != nil {
			return out, err
		}
		if show != nil {
			req.Scan = counted(req.Scan, r.Name, show)
		}
		res, err := in.Ingest(ctx, req)
		if err != nil {
			return out, fmt.Errorf("ingesting %s: %w", r.Name, err)
		}
		o.logger().InfoContext(ctx, "snapshot published", "repository", r.Name, "sequence", res.Sequence,
			"appeared", res.Counts.Appeared, "changed", res.Counts.Changed, "disappeared", res.Counts.Disappeared,
			"unchanged", res.Counts.Unchanged)
		out = append(out, IngestResult{Repository: r.Name, Result: res})
	}
	return out, nil
}

func selectRepositories(cfg *config.Config, names []string) ([]config.Repository, error) {
	if len(names) == 0 {
		return cfg.Repositories, nil
	}
	out := make([]config.Repository, 0, len(names))
	for _, n := range names {
		r, err := cfg.Find(n)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// request builds the ingest request of one configured repository.
func request(ctx context.Context, cfg *config.Config, r config.Repository, force bool) (producers.Request, error) {
	f, err := formats.Lookup(r.Format)
	if err != nil {
		return producers.Request{}, fmt.Errorf("ingesting %s: %w", r.Name, err)
	}
	opts := formats.Options{Seed: cfg.HashSeed}
	if r.InRelease != "" {
		sum, err := debian.ReleaseSHA256(ctx, r.InRelease, r.IndexPath)
		if err != nil {
			return producers.Request{}, fmt.Errorf("ingesting %s: %w", r.Name, err)
		}
		opts.Input = input.Options{SHA256: sum}
	}
	return producers.Request{
		Repository: r.Identity(), Source: r.Source, Scan: f.File(r.Source, opts), Seed: cfg.HashSeed,
		Guard: producers.Guard{MaxRemovalShare: *cfg.MaxRemovalShare, MinPackages: r.MinPackages, Force: force},
	}, nil
}

// counted wraps a scan to report how many packages it has read, every
// progressInterval and at the end.
func counted(scan producers.ScanFunc, name string, show IngestProgress) producers.ScanFunc {
	return func(ctx context.Context, known producers.Known, fn func(*producers.Entry) error) error {
		n := 0
		next := time.Now().Add(progressInterval)
		err := scan(ctx, known, func(e *producers.Entry) error {
			n++
			if n%1024 == 0 && time.Now().After(next) {
				show(name, n)
				next = time.Now().Add(progressInterval)
			}
			return fn(e)
		})
		show(name, n)
		return err
	}
}
