package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/repodelta/repodelta/internal/broker"
	"github.com/repodelta/repodelta/internal/chserver"
	"github.com/repodelta/repodelta/producers"
)

// Options are the settings every command shares.
type Options struct {
	// DataDir holds the state store, spools, the embedded broker's log and
	// the managed ClickHouse server's data.
	DataDir string
	// KafkaBrokers are external brokers; none means the embedded broker.
	KafkaBrokers []string
	// ClickHouseAddr is an external server's native address (host:port);
	// "" means a managed local clickhouse-server.
	ClickHouseAddr string
	// Database is the ClickHouse database (default "repodelta").
	Database string
	Logger   *slog.Logger
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}

func (o Options) database() string {
	if o.Database == "" {
		return "repodelta"
	}
	return o.Database
}

// Services are the running broker and ClickHouse server, embedded or
// external. Close stops what was started here; it is idempotent.
type Services struct {
	Brokers        []string
	ClickHouseAddr string
	broker         *broker.Broker
	clickhouse     *chserver.Server
	store          *producers.Store
}

// Store returns the producer's state store under DataDir/state, the same
// one for every ingest of these services, so states stay in memory between
// rounds.
func (s *Services) Store(o Options) (*producers.Store, error) {
	if s.store != nil {
		return s.store, nil
	}
	st, err := producers.NewStore(filepath.Join(o.DataDir, "state"))
	if err != nil {
		return nil, err
	}
	s.store = st
	return st, nil
}

// StartKafka starts the embedded broker under DataDir/kafka unless
// external brokers are configured.
func (s *Services) StartKafka(ctx context.Context, o Options) error {
	if len(s.Brokers) > 0 {
		return nil
	}
	if len(o.KafkaBrokers) > 0 {
		s.Brokers = o.KafkaBrokers
		return nil
	}
	dir := filepath.Join(o.DataDir, "kafka")
	b, err := broker.Start(ctx, broker.Config{DataDir: dir, Logger: o.logger()})
	if errors.Is(err, broker.ErrDataDirInUse) {
		if addr, ok := broker.RunningAddr(dir); ok { // another repodelta process runs it
			s.Brokers = []string{addr}
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("starting the embedded broker: %w", err)
	}
	s.broker, s.Brokers = b, b.Addrs()
	o.logger().InfoContext(ctx, "embedded broker started", "addrs", s.Brokers)
	return nil
}

// StartClickHouse starts a managed clickhouse-server under
// DataDir/clickhouse unless an external address is configured.
func (s *Services) StartClickHouse(ctx context.Context, o Options) error {
	if s.ClickHouseAddr != "" {
		return nil
	}
	if o.ClickHouseAddr != "" {
		s.ClickHouseAddr = o.ClickHouseAddr
		return nil
	}
	dir := filepath.Join(o.DataDir, "clickhouse")
	if addr, ok := chserver.RunningAddr(dir); ok { // another repodelta process runs it
		s.ClickHouseAddr = addr
		return nil
	}
	srv, err := chserver.Start(ctx, chserver.Config{DataDir: dir})
	if err != nil {
		return fmt.Errorf("starting the managed ClickHouse: %w", err)
	}
	s.clickhouse, s.ClickHouseAddr = srv, srv.Addr()
	o.logger().InfoContext(ctx, "managed clickhouse-server started", "addr", s.ClickHouseAddr)
	return nil
}

// Close stops the services started here.
func (s *Services) Close() error {
	var errs []error
	if s.clickhouse != nil {
		errs = append(errs, s.clickhouse.Close())
		s.clickhouse = nil
	}
	if s.broker != nil {
		errs = append(errs, s.broker.Close())
		s.broker = nil
	}
	return errors.Join(errs...)
}
