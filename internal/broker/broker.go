package broker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kfake"
)

// brokerConfigs are the broker-wide settings of every embedded broker: the
// log is the source of truth, so nothing expires by age or size, and the
// committed offsets of a group that was stopped for a while are kept so that
// it resumes instead of re-reading the whole log.
var brokerConfigs = map[string]string{
	"log.retention.ms":          "-1",
	"log.retention.bytes":       "-1",
	"offsets.retention.minutes": "52560000", // 100 years
}

// Broker is a running embedded broker. Its methods are safe for concurrent
// use. The caller that started it closes it.
type Broker struct {
	cluster *kfake.Cluster
	addrs   []string
	log     *kfakeLogger
	unlock  func() error

	closeOnce sync.Once
	closeErr  error
}

// Start starts a broker as cfg describes and returns once it accepts
// connections. With a DataDir it reloads what a previous broker persisted
// there and records the port it listens on for the next Start.
func Start(ctx context.Context, cfg Config) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating broker config: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()

	b := &Broker{log: newKfakeLogger(cfg.Logger), unlock: func() error { return nil }}
	port := cfg.Port
	if cfg.DataDir != "" {
		var err error
		if b.unlock, err = lockDataDir(cfg.DataDir); err != nil {
			return nil, err
		}
		if port == 0 {
			if port, err = readPort(cfg.DataDir); err != nil {
				return nil, errors.Join(err, b.unlock())
			}
		}
	}

	cluster, err := kfake.NewCluster(b.options(cfg, port)...)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("starting broker on 127.0.0.1:%d: %w", port, err), b.unlock())
	}
	b.cluster = cluster
	b.addrs = cluster.ListenAddrs()

	if cfg.DataDir != "" {
		if err := rememberListener(cfg.DataDir, b.addrs[0]); err != nil {
			return nil, errors.Join(err, b.Close())
		}
	}
	return b, nil
}

func (b *Broker) options(cfg Config, port int) []kfake.Opt {
	opts := []kfake.Opt{
		kfake.Ports(port), // one node
		kfake.ClusterID("repodelta"),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(cfg.Partitions),
		kfake.BrokerConfigs(brokerConfigs),
		kfake.WithLogger(b.log),
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(cfg.DataDir))
	}
	if cfg.SyncWrites {
		opts = append(opts, kfake.SyncWrites())
	}
	return opts
}

// Addrs returns the broker's bootstrap addresses ("127.0.0.1:port").
func (b *Broker) Addrs() []string {
	return slices.Clone(b.addrs)
}

// Run serves until ctx is done, then closes the broker and returns what
// Close returns. It suits a command whose only job is to run the broker.
func (b *Broker) Run(ctx context.Context) error {
	<-ctx.Done()
	return b.Close()
}

// Close stops the broker: it stops listening, writes everything it holds to
// the data directory, if any, and releases the directory. Close is
// idempotent; later calls return the first call's result.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		b.log.captureErrors()
		b.cluster.Close()
		err := errors.Join(b.log.capturedErrors(), b.unlock())
		if err != nil {
			b.closeErr = fmt.Errorf("closing broker %s: %w", b.addrs[0], err)
		}
	})
	return b.closeErr
}

func portOf(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("parsing listen address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return 0, fmt.Errorf("parsing listen address %q: %w", addr, err)
	}
	return port, nil
}

// removeIfExists is os.Remove that tolerates a missing file.
func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
