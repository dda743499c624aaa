package consumers

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/chdb"
)

// Control states (projector_control.state).
const (
	StateSwapping = "swapping" // a rebuild swaps the projector's tables: live projectors step aside
	StateDone     = "done"     // the swap is over: live projectors rejoin
	StateStarted  = "started"  // a shadow database's own row: the rebuild's starting offsets are set
)

// StaleAfter is how old a swap request's heartbeat may be before live
// projectors stop waiting for it: the rebuild that wrote it has died.
const StaleAfter = time.Minute

// controlInterval is how often a projector with a Control checks it while
// it waits for records, and at most how often between batches.
const controlInterval = time.Second

// errSwapRequested cancels a fetch when a swap request arrives.
var errSwapRequested = errors.New("a rebuild requested a swap")

// Control is the swap handshake of one database (the projector_control
// table, migration 0006) between a rebuild and the live projectors: the
// rebuild calls Request (and again as a heartbeat) and Done; a Projector
// given the Control in Config.Control asks Swapping between batches and
// steps out of its consumer group while the answer is yes. Safe for
// concurrent use; it holds no state but the database name.
type Control struct{ database string }

// NewControl returns the handshake kept in database.
func NewControl(database string) *Control { return &Control{database: database} }

// Request asks the live projectors of projector to step aside, or renews
// the request's heartbeat. Idempotent.
func (c *Control) Request(ctx context.Context, conn driver.Conn, projector string) error {
	return c.write(ctx, conn, projector, StateSwapping)
}

// Done ends a swap: the live projectors rejoin their group. Idempotent.
func (c *Control) Done(ctx context.Context, conn driver.Conn, projector string) error {
	return c.write(ctx, conn, projector, StateDone)
}

// Mark writes another state for projector (StateStarted in a shadow
// database).
func (c *Control) Mark(ctx context.Context, conn driver.Conn, projector, state string) error {
	return c.write(ctx, conn, projector, state)
}

// write records state with the server's clock (INSERT … SELECT: INSERT …
// VALUES through Exec hangs on 18.16).
func (c *Control) write(ctx context.Context, conn driver.Conn, projector, state string) error {
	err := conn.Exec(ctx, "INSERT INTO "+c.database+".projector_control (projector, state, requested, heartbeat, version)"+
		" SELECT ?, ?, now(), now(), toUInt64(?)", projector, state, uint64(time.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("writing control state %s of %s: %w", state, projector, err)
	}
	return nil
}

// State returns projector's newest control state ("" when none) and how
// long ago its heartbeat was written, by the server's clock.
func (c *Control) State(ctx context.Context, conn driver.Conn, projector string) (string, time.Duration, error) {
	var (
		state string
		age   int64
	)
	err := conn.QueryRow(ctx, "SELECT argMax(state, version), toInt64(now()) - toInt64(argMax(heartbeat, version))"+
		" FROM "+c.database+".projector_control WHERE projector = ?", projector).Scan(&state, &age)
	if err != nil {
		return "", 0, fmt.Errorf("reading control state of %s: %w", projector, err)
	}
	return state, time.Duration(age) * time.Second, nil
}

// Swapping reports whether a live projector of projector must stay out of
// its group now: a swap is requested and its heartbeat is fresh.
func (c *Control) Swapping(ctx context.Context, conn driver.Conn, projector string) (bool, error) {
	state, age, err := c.State(ctx, conn, projector)
	return state == StateSwapping && age < StaleAfter, err
}

// swapWatch is a Projector's side of the handshake.
type swapWatch struct {
	mu        sync.Mutex // guards Projector.consumer against Close while it is replaced
	lastCheck time.Time
	seen      bool // a fetch was cancelled by a request: rejoin in any case
}

// nextBatch fetches the next batch; with a Control it first steps out of
// the group while a rebuild swaps the projection's tables, and a request
// arriving while it waits for records ends the wait.
func (p *Projector) nextBatch(ctx context.Context) (bus.Batch, error) {
	if p.cfg.Control == nil {
		return p.fetch(ctx)
	}
	for {
		if err := p.stepAsideWhileSwapping(ctx); err != nil {
			return nil, err
		}
		fctx, cancel := context.WithCancelCause(ctx)
		stopped := make(chan struct{})
		go func() { defer close(stopped); p.watchControl(fctx, cancel) }()
		batch, err := p.fetch(fctx)
		cancel(nil)
		<-stopped
		if err != nil && ctx.Err() == nil && errors.Is(context.Cause(fctx), errSwapRequested) {
			p.swap.seen = true
			continue
		}
		return batch, err
	}
}

// watchControl cancels ctx with errSwapRequested when a swap is requested.
func (p *Projector) watchControl(ctx context.Context, cancel context.CancelCauseFunc) {
	for sleep(ctx, controlInterval) {
		if swapping, err := p.cfg.Control.Swapping(ctx, p.conn, p.projection.Name()); err == nil && swapping {
			cancel(errSwapRequested)
			return
		}
	}
}

// stepAsideWhileSwapping leaves the group while a swap is requested and
// rejoins when it is done (or its heartbeat went stale). It asks at most
// every controlInterval.
func (p *Projector) stepAsideWhileSwapping(ctx context.Context) error {
	if !p.swap.seen && time.Since(p.swap.lastCheck) < controlInterval {
		return nil
	}
	swapping, err := p.swapping(ctx)
	if err != nil || (!swapping && !p.swap.seen) {
		return err
	}
	p.swap.seen = false
	p.log.InfoContext(ctx, "leaving the group while a rebuild swaps the tables")
	if err := p.consumer.Close(); err != nil {
		return err
	}
	for swapping {
		if !sleep(ctx, controlInterval) {
			return ctx.Err()
		}
		if swapping, err = p.swapping(ctx); err != nil {
			return err
		}
	}
	p.log.InfoContext(ctx, "rejoining the group after the swap")
	return p.rejoin(ctx)
}

func (p *Projector) swapping(ctx context.Context) (bool, error) {
	var swapping bool
	err := p.retry(ctx, "reading the control table", chdb.Retryable, func(ctx context.Context) error {
		var err error
		swapping, err = p.cfg.Control.Swapping(ctx, p.conn, p.projection.Name())
		return err
	})
	p.swap.lastCheck = time.Now()
	return swapping, err
}

// rejoin replaces the closed consumer by a new member of the group, which
// resumes from the group's committed offsets (the rebuild's, after a swap).
func (p *Projector) rejoin(ctx context.Context) error {
	cc := p.cfg.Consumer
	cc.Group, cc.Logger, cc.AssumeTopicsExist = p.group, p.cfg.Logger, true
	c, err := bus.NewBatchConsumer(ctx, bus.BatchConsumerConfig{ConsumerConfig: cc, Topics: []string{p.cfg.Topic}})
	if err != nil {
		return fmt.Errorf("rejoining group %s: %w", p.group, err)
	}
	p.swap.mu.Lock()
	defer p.swap.mu.Unlock()
	if p.closed.Load() {
		_ = c.Close()
		return bus.ErrClosed
	}
	p.consumer = c
	return nil
}

// currentConsumer is the consumer Close must close.
func (p *Projector) currentConsumer() *bus.BatchConsumer {
	p.swap.mu.Lock()
	defer p.swap.mu.Unlock()
	return p.consumer
}
