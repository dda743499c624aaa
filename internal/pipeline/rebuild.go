package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/schemas"
)

// RebuildSuffix is appended to a projector's name to name its rebuild:
// the rebuild's consumer group is consumers.Group(name + RebuildSuffix),
// and its ledger rows in the shadow database are keyed by that name.
const RebuildSuffix = ".rebuild"

// heartbeatEvery is how often a rebuild renews its swap request: well
// within consumers.StaleAfter.
const heartbeatEvery = 10 * time.Second

// RebuildOptions tune Rebuild.
type RebuildOptions struct {
	// Projectors to rebuild; none means all.
	Projectors []string
	// FromOffset is the offset, on every partition (clamped to what the
	// partition holds), a new rebuild starts from. Zero is the start of the
	// log. Ignored when FromTime is set, and when a rebuild resumes.
	FromOffset int64
	// FromTime, when set, starts a new rebuild at the first record of each
	// partition written at or after it.
	FromTime time.Time
	// Restart drops what an interrupted rebuild left (shadow database,
	// committed offsets, a pending swap request) and starts anew.
	Restart bool
	// Progress, when set, is shown while the rebuild projectors run.
	Progress func([]*consumers.Projector)
}

// RebuildResult is what Rebuild did for one projector.
type RebuildResult struct {
	Projector string
	Events    uint64        // events the rebuild applied in this run
	Build     time.Duration // building the shadow tables until caught up with the log
	Swap      time.Duration // from the swap request until the request was done
}

// rebuild is one projector's rebuild: its shadow database and names.
type rebuild struct {
	name, rebuildName string // live and rebuild projector names
	live, shadow      string // databases
	projection        consumers.Projection
	events            uint64
}

// ShadowDatabase is the database a rebuild of projector builds in.
func ShadowDatabase(live, projector string) string { return live + "_shadow_" + projector }

// Rebuild rebuilds projections from the log while the live projectors
// keep serving, then swaps the rebuilt tables in. For each projector:
//
//  1. the shadow database ShadowDatabase(db, name) is migrated like the
//     live one, and the rebuild's consumer group gets its starting offsets
//     (once: a rerun resumes from what the group committed);
//  2. every selected projection is built into its shadow database, all at
//     once, until caught up with the log;
//  3. then, for every projector at once: a swap request asks its live
//     projectors (consumers.Control) to commit their batch and leave their
//     group; once the group is empty the shadow catches up with the log
//     again, every table the projection owns is replaced partition by
//     partition (REPLACE PARTITION: atomic per partition, not across
//     tables), the rebuild's ledger rows are copied under the live name,
//     the live group's offsets are set to the rebuild's, and the request
//     is marked done; the live projectors rejoin where the rebuild ended.
//     The shadow database and the rebuild's group are dropped.
//
// Every step is idempotent: an interrupted rebuild is finished by running
// it again. Ingest may go on throughout: what the log gains after the
// shadow caught up is projected by the live projectors once they rejoin.
//
// Atomicity: each REPLACE PARTITION is atomic, so an unpartitioned table
// switches at once; a partitioned one (the history tables by month, the
// *_pending tables by snapshot) partition by partition, and the tables of a
// projection one after the other: ClickHouse 18.16 has no EXCHANGE TABLES
// and no multi-table transaction. A reader may see, for the second or so
// the swap takes, some tables rebuilt and others not yet. The live
// projectors write nothing meanwhile.
//
// Live projectors must run with a consumers.Control (Project gives them
// one): one that never checks the control table never leaves its group,
// and the rebuild waits for it (it logs the members it waits for). If the
// rebuild dies mid-swap, its request goes stale after consumers.StaleAfter
// and the live projectors resume from their own offsets over partly
// swapped tables; a replay converges, and rerunning the rebuild finishes
// the swap. FromOffset and FromTime rebuild from part of the log only: the
// swapped-in tables then lack what came before.
func Rebuild(ctx context.Context, o Options, s *Services, cfg *config.Config, ro RebuildOptions) ([]RebuildResult, error) {
	names := ro.Projectors
	if len(names) == 0 {
		names = ProjectionNames()
	}
	if _, err := selectProjections(names, o.database()); err != nil {
		return nil, err
	}
	if err := s.StartKafka(ctx, o); err != nil {
		return nil, err
	}
	if err := bus.EnsureTopic(ctx, s.Brokers, cfg.Topic, cfg.Partitions); err != nil {
		return nil, err
	}
	conn, err := OpenClickHouse(ctx, o, s)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	poison, err := bus.NewPublisher(bus.PublisherConfig{Brokers: s.Brokers, Partitions: 1})
	if err != nil {
		return nil, err
	}
	defer poison.Close()
	admin := bus.NewGroups(s.Brokers, cfg.Topic)
	defer admin.Close()
	rr := &rebuilder{o: o, s: s, cfg: cfg, conn: conn, poison: poison, admin: admin}

	rebuilds := make([]*rebuild, len(names))
	for i, name := range names {
		rebuilds[i] = newRebuild(o.database(), name)
		if err := rr.prepare(ctx, rebuilds[i], ro); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	if err := rr.catchUp(ctx, ro.Progress, rebuilds...); err != nil {
		return nil, err
	}
	build := time.Since(start)
	out := make([]RebuildResult, len(rebuilds))
	errs := make([]error, len(rebuilds))
	var wg sync.WaitGroup
	for i, b := range rebuilds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			errs[i] = rr.swap(ctx, b)
			out[i] = RebuildResult{Projector: b.name, Events: b.events, Build: build, Swap: time.Since(start)}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func newRebuild(live, name string) *rebuild {
	b := &rebuild{name: name, rebuildName: name + RebuildSuffix, live: live, shadow: ShadowDatabase(live, name)}
	b.projection = projections[name](b.shadow, b.rebuildName)
	return b
}

// rebuilder holds what the steps of Rebuild share.
type rebuilder struct {
	o      Options
	s      *Services
	cfg    *config.Config
	conn   driver.Conn
	poison *bus.Publisher
	admin  *bus.Groups
}

// prepare migrates b's shadow database and, unless it was prepared
// before, commits the rebuild group's starting offsets and records that
// in the shadow's control table.
func (r *rebuilder) prepare(ctx context.Context, b *rebuild, ro RebuildOptions) error {
	if ro.Restart {
		if err := r.conn.Exec(ctx, "DROP DATABASE IF EXISTS "+b.shadow); err != nil {
			return fmt.Errorf("dropping %s: %w", b.shadow, err)
		}
		if state, _, err := consumers.NewControl(b.live).State(ctx, r.conn, b.name); err != nil {
			return err
		} else if state == consumers.StateSwapping {
			if err := consumers.NewControl(b.live).Done(ctx, r.conn, b.name); err != nil {
				return err
			}
		}
	}
	if _, err := chdb.Migrate(ctx, r.conn, schemas.ClickHouse, "clickhouse", b.shadow); err != nil {
		return fmt.Errorf("migrating %s: %w", b.shadow, err)
	}
	ctl := consumers.NewControl(b.shadow)
	state, _, err := ctl.State(ctx, r.conn, b.rebuildName)
	if err != nil || state == consumers.StateStarted {
		return err // resuming: the group's committed offsets say where
	}
	offset := ro.FromOffset
	if !ro.FromTime.IsZero() {
		offset = -1
	}
	offsets, err := r.admin.StartOffsets(ctx, offset, ro.FromTime)
	if err != nil {
		return err
	}
	if err := r.commit(ctx, consumers.Group(b.rebuildName), offsets); err != nil {
		return err
	}
	r.o.logger().InfoContext(ctx, "rebuild starting", "projector", b.name, "shadow", b.shadow, "offsets", offsets)
	return ctl.Mark(ctx, r.conn, b.rebuildName, consumers.StateStarted)
}

// commit sets group's offsets once it has no member, retrying while
// members come and go (a live projector starting up joins before it reads
// the swap request, then leaves).
func (r *rebuilder) commit(ctx context.Context, group string, offsets map[int]int64) error {
	var err error
	for range 20 {
		if err = waitEmpty(ctx, r.o, r.admin, group); err != nil {
			return err
		}
		if err = r.admin.Commit(ctx, group, offsets); err == nil {
			return nil
		}
		if !sleepCtx(ctx, 500*time.Millisecond) {
			return ctx.Err()
		}
	}
	return err
}

// catchUp runs the rebuild projectors of bs until each has caught up with
// the log, showing progress when it is set.
func (r *rebuilder) catchUp(ctx context.Context, progress func([]*consumers.Projector), bs ...*rebuild) error {
	runners := make([]*consumers.Projector, 0, len(bs))
	defer func() {
		for _, p := range runners {
			p.Close()
		}
	}()
	for _, b := range bs {
		p, err := consumers.NewProjector(ctx, b.projection, r.conn, consumers.Config{
			Consumer: bus.ConsumerConfig{Brokers: r.s.Brokers, Partitions: r.cfg.Partitions},
			Topic:    r.cfg.Topic, Poison: r.poison, Once: true, Logger: r.o.logger(),
		})
		if err != nil {
			return err
		}
		runners = append(runners, p)
	}
	err := runAll(ctx, runners, progress)
	for i, p := range runners {
		bs[i].events += p.Stats().Events
	}
	if err == nil {
		err = ctx.Err() // a projector returns nil when ctx ends
	}
	return err
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
