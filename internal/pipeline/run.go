package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/config"
)

// RunOptions tune Run.
type RunOptions struct {
	// Once ingests every repository, projects until caught up, and returns.
	Once bool
	// Every is the pause between ingests when not Once (default 1h).
	Every time.Duration
	// Force publishes snapshots the guards refuse.
	Force bool
	// Progress, when set, is shown while projectors run.
	Progress func([]*consumers.Projector)
	// IngestProgress, when set, is shown while repositories are read.
	IngestProgress IngestProgress
}

// Run is the whole pipeline: ingest every configured repository, project
// until all projectors have caught up; without Once, projectors keep
// running and the repositories are ingested again every Every until ctx
// ends.
func Run(ctx context.Context, o Options, s *Services, cfg *config.Config, ro RunOptions) error {
	if ro.Once {
		if _, err := IngestWithProgress(ctx, o, s, cfg, nil, ro.Force, ro.IngestProgress); err != nil {
			return err
		}
		return Project(ctx, o, s, cfg, nil, true, ro.Progress)
	}
	if ro.Every <= 0 {
		ro.Every = time.Hour
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	projected := make(chan error, 1)
	if err := s.StartKafka(ctx, o); err != nil {
		return err
	}
	go func() { projected <- Project(ctx, o, s, cfg, nil, false, ro.Progress) }()
	for {
		if _, err := IngestWithProgress(ctx, o, s, cfg, nil, ro.Force, ro.IngestProgress); err != nil && ctx.Err() == nil {
			// One bad snapshot must not stop the others' next rounds: it is
			// logged, and retried on the next round.
			o.logger().ErrorContext(ctx, "ingest failed", "err", err)
		}
		select {
		case err := <-projected:
			if err == nil || errors.Is(err, context.Canceled) {
				return nil
			}
			return fmt.Errorf("projecting: %w", err)
		case <-ctx.Done():
			return <-projected
		case <-time.After(ro.Every):
		}
	}
}
