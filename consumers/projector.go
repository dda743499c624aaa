package consumers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/chdb"
)

// ErrRunning is returned by Run when the projector is already running.
var ErrRunning = errors.New("projector already running")

// Projector feeds a Projection from the events topic as a member of the
// projection's consumer group: it fetches a batch, decodes it (poisoning
// what cannot be decoded), applies it, and commits the batch's offsets only
// after Apply succeeded. Delivery is therefore at least once; the
// projection makes re-delivery harmless.
//
// Retryable errors (chdb.Retryable for Apply, bus.Retryable for Kafka)
// are retried on the same batch, after a backoff, without committing; any
// other error stops Run. Several projectors of one projection, in one
// process or many, share the group and split the topic's partitions.
//
// Run is for one goroutine; Close, CaughtUp and Stats may be called from
// any. The caller closes the projector and, after it, the ClickHouse
// connection it passed in.
type Projector struct {
	projection Projection
	conn       driver.Conn
	cfg        Config
	group      string
	consumer   *bus.BatchConsumer
	swap       swapWatch // Config.Control's handshake (control.go)
	log        *slog.Logger

	running atomic.Bool
	closed  atomic.Bool
	stats   counters

	closeOnce sync.Once
	closeErr  error
}

// NewProjector returns a projector of projection writing through conn. It
// creates the topic if needed (unless Consumer.AssumeTopicsExist) and starts
// joining the group in the background.
func NewProjector(ctx context.Context, projection Projection, conn driver.Conn, cfg Config) (*Projector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating projector config: %w", err)
	}
	cfg = cfg.withDefaults()
	cfg.BatchSize = armed.batchSizeOr(cfg.BatchSize)
	group := Group(projection.Name())
	consumerCfg := cfg.Consumer
	consumerCfg.Group = group
	consumerCfg.Logger = cfg.Logger
	consumer, err := bus.NewBatchConsumer(ctx, bus.BatchConsumerConfig{ConsumerConfig: consumerCfg, Topics: []string{cfg.Topic}, Boundary: commitMarker})
	if err != nil {
		return nil, fmt.Errorf("starting projector %s: %w", projection.Name(), err)
	}
	return &Projector{
		projection: projection,
		conn:       conn,
		cfg:        cfg,
		group:      group,
		consumer:   consumer,
		log:        cfg.Logger.With("projector", projection.Name(), "group", group, "topic", cfg.Topic),
	}, nil
}

// Group returns the projector's consumer group id.
func (p *Projector) Group() string { return p.group }

// Run projects batches until ctx ends, the projector is closed, or (with
// Config.Once) the group is caught up; then it returns nil. A batch being
// applied when ctx ends is abandoned uncommitted: the group fetches it
// again later. A permanent error stops Run and is returned; the batch it
// met is not committed.
func (p *Projector) Run(ctx context.Context) error {
	if !p.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer p.running.Store(false)
	p.log.InfoContext(ctx, "projector running", "once", p.cfg.Once)
	for {
		batch, err := p.nextBatch(ctx)
		if err != nil {
			return p.exit(ctx, err)
		}
		if len(batch) > 0 {
			batch = p.gather(ctx, batch)
			if err := p.process(ctx, batch); err != nil {
				return p.exit(ctx, err)
			}
		}
		if !p.cfg.Once || len(batch) >= p.cfg.BatchSize {
			continue
		}
		done, err := p.caughtUp(ctx)
		if err != nil {
			return p.exit(ctx, err)
		}
		if done {
			p.log.InfoContext(ctx, "projector caught up", "events", p.stats.events.Load())
			return nil
		}
	}
}

// exit turns the error that ended Run's loop into its result: nil when the
// loop ended because ctx did or the projector was closed.
func (p *Projector) exit(ctx context.Context, err error) error {
	if ctx.Err() != nil || p.closed.Load() || errors.Is(err, bus.ErrClosed) {
		return nil
	}
	return err
}

// fetch returns the next batch. With Once, an empty batch means no record
// arrived within IdleWait.
func (p *Projector) fetch(ctx context.Context) (bus.Batch, error) {
	var batch bus.Batch
	err := p.retry(ctx, "fetching", bus.Retryable, func(ctx context.Context) error {
		fctx, cancel := ctx, context.CancelFunc(func() {})
		if p.cfg.Once {
			fctx, cancel = context.WithTimeout(ctx, p.cfg.IdleWait)
		}
		defer cancel()
		b, err := p.consumer.Fetch(fctx, p.cfg.BatchSize, p.cfg.MaxWait)
		if err != nil && fctx.Err() != nil && ctx.Err() == nil {
			return nil // idle: nothing arrived within IdleWait
		}
		batch = b
		return err
	})
	return batch, err
}

// process decodes, applies and commits one batch.
func (p *Projector) process(ctx context.Context, batch bus.Batch) error {
	armed.reach(AfterFetch)
	evs, err := p.decode(ctx, batch)
	if err != nil {
		return err
	}
	if len(evs) > 0 {
		err := p.retry(ctx, "applying", chdb.Retryable, func(ctx context.Context) error {
			return p.projection.Apply(ctx, p.conn, evs)
		})
		if err != nil {
			return fmt.Errorf("applying %d events to projection %s: %w", len(evs), p.projection.Name(), err)
		}
	}
	armed.reach(AfterApply)
	err = p.retry(ctx, "committing", bus.Retryable, func(ctx context.Context) error {
		return p.consumer.Commit(ctx, batch)
	})
	if err != nil {
		return err
	}
	armed.reach(AfterCommit)
	p.stats.batches.Add(1)
	p.stats.events.Add(uint64(len(evs)))
	return nil
}

// retry runs op until it succeeds, fails with an error retryable does not
// accept, or ctx ends, waiting with exponential backoff between attempts.
func (p *Projector) retry(ctx context.Context, what string, retryable func(error) bool, op func(context.Context) error) error {
	b := newBackoff(p.cfg.MinBackoff, p.cfg.MaxBackoff)
	for {
		err := op(ctx)
		if err == nil || ctx.Err() != nil || p.closed.Load() || !retryable(err) {
			return err
		}
		wait := b.wait()
		p.stats.retries.Add(1)
		p.log.WarnContext(ctx, "retrying", "operation", what, "wait", wait, "error", err)
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
	}
}

// CaughtUp reports whether the projector's group has consumed and
// committed every record of the topic (bus.Lag is zero on every
// partition). With several projectors in the group, it speaks for all.
func (p *Projector) CaughtUp(ctx context.Context) (bool, error) {
	lag, err := bus.Lag(ctx, p.cfg.Consumer.Brokers, p.group, p.cfg.Topic)
	if err != nil {
		return false, fmt.Errorf("reading lag of projector %s: %w", p.projection.Name(), err)
	}
	for _, n := range lag {
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

func (p *Projector) caughtUp(ctx context.Context) (bool, error) {
	var done bool
	err := p.retry(ctx, "reading lag", bus.Retryable, func(ctx context.Context) error {
		var err error
		done, err = p.CaughtUp(ctx)
		return err
	})
	return done, err
}

// Close leaves the group without committing anything more: a batch being
// applied is fetched again by the group. Run then returns nil. Close is
// idempotent; it does not close the ClickHouse connection.
func (p *Projector) Close() error {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		if err := p.currentConsumer().Close(); err != nil {
			p.closeErr = fmt.Errorf("closing projector %s: %w", p.projection.Name(), err)
		}
	})
	return p.closeErr
}
