package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/projections/links"
	"github.com/repodelta/repodelta/projections/maintainers"
	"github.com/repodelta/repodelta/projections/packages"
	"github.com/repodelta/repodelta/projections/projects"
	"github.com/repodelta/repodelta/schemas"
)

// projections are the known projections, each built for a database under
// a name (its consumer group: a rebuild uses another).
var projections = map[string]func(database, name string) consumers.Projection{
	packages.Name:    func(db, n string) consumers.Projection { return packages.NewNamed(db, n) },
	projects.Name:    func(db, n string) consumers.Projection { return projects.NewNamed(db, n) },
	maintainers.Name: func(db, n string) consumers.Projection { return maintainers.NewNamed(db, n) },
	links.Name:       func(db, n string) consumers.Projection { return links.NewNamed(db, n) },
}

// ProjectionNames lists the known projections.
func ProjectionNames() []string {
	names := make([]string, 0, len(projections))
	for n := range projections {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func selectProjections(names []string, db string) ([]consumers.Projection, error) {
	if len(names) == 0 {
		names = ProjectionNames()
	}
	out := make([]consumers.Projection, 0, len(names))
	for _, n := range names {
		mk, ok := projections[n]
		if !ok {
			return nil, fmt.Errorf("unknown projector %q (known: %s)", n, strings.Join(ProjectionNames(), ", "))
		}
		out = append(out, mk(db, n))
	}
	return out, nil
}

// OpenClickHouse starts or finds ClickHouse, opens the database and applies
// the migrations. The caller closes the connection.
func OpenClickHouse(ctx context.Context, o Options, s *Services) (driver.Conn, error) {
	if err := s.StartClickHouse(ctx, o); err != nil {
		return nil, err
	}
	conn, err := chdb.Open(ctx, chdb.Options{Addr: s.ClickHouseAddr, Database: o.database(), CreateDatabase: true})
	if err != nil {
		return nil, err
	}
	if _, err := chdb.Migrate(ctx, conn, schemas.ClickHouse, "clickhouse", o.database()); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// Project runs the named projectors (all when names is empty) until ctx
// ends, or with once until every one has caught up with the log. Each
// projector is its own consumer group; undecodable records go to the poison
// topic. progress, when not nil, is called with the projectors while they
// run (see Progress).
func Project(ctx context.Context, o Options, s *Services, cfg *config.Config, names []string, once bool, progress func([]*consumers.Projector)) error {
	projs, err := selectProjections(names, o.database())
	if err != nil {
		return err
	}
	return project(ctx, o, s, cfg, projs, once, progress)
}

// project runs the given projections, migrating o's database first.
func project(ctx context.Context, o Options, s *Services, cfg *config.Config, projs []consumers.Projection, once bool, progress func([]*consumers.Projector)) error {
	if err := s.StartKafka(ctx, o); err != nil {
		return err
	}
	conn, err := OpenClickHouse(ctx, o, s)
	if err != nil {
		return err
	}
	defer conn.Close()
	poison, err := bus.NewPublisher(bus.PublisherConfig{Brokers: s.Brokers, Partitions: 1})
	if err != nil {
		return err
	}
	defer poison.Close()
	runners := make([]*consumers.Projector, 0, len(projs))
	defer func() {
		for _, r := range runners {
			r.Close()
		}
	}()
	for _, p := range projs {
		r, err := consumers.NewProjector(ctx, p, conn, consumers.Config{
			Consumer: bus.ConsumerConfig{Brokers: s.Brokers, Partitions: cfg.Partitions},
			Topic:    cfg.Topic, Poison: poison, Once: once, Logger: o.logger(),
			Control: consumers.NewControl(o.database()), // steps aside while a rebuild swaps (rebuild.go)
		})
		if err != nil {
			return err
		}
		runners = append(runners, r)
	}
	return runAll(ctx, runners, progress)
}

// runAll runs the projectors concurrently and returns the first error.
func runAll(ctx context.Context, runners []*consumers.Projector, progress func([]*consumers.Projector)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(runners))
	var wg sync.WaitGroup
	for i, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = r.Run(ctx); errs[i] != nil {
				cancel()
			}
		}()
	}
	if progress != nil {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		progressLoop(ctx, done, runners, progress)
	}
	wg.Wait()
	return errors.Join(errs...)
}
