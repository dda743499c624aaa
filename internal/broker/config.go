package broker

import (
	"errors"
	"fmt"
	"log/slog"
)

// DefaultPartitions is the partition count of topics created without one.
const DefaultPartitions = 12

// Config configures an embedded broker. The zero value is a valid in-memory
// broker on a free port.
type Config struct {
	// DataDir makes the broker persistent: log segments, topics, committed
	// offsets and producer state live there and are reloaded by the next
	// Start on the same directory, which also reuses the port remembered
	// there. Only one broker may use a directory at a time. Empty (the
	// default) keeps everything in memory; it is gone after Close.
	DataDir string

	// Port is the TCP port to listen on, on 127.0.0.1. Zero (the default)
	// reuses the port remembered in DataDir, or picks a free port when
	// there is none. A port that cannot be bound is an error, never a
	// silent move to another port.
	Port int

	// Partitions is the partition count of topics created without one:
	// auto-created topics and CreateTopics asking for the default (-1).
	// Zero means DefaultPartitions.
	Partitions int

	// SyncWrites fsyncs every produced batch before acknowledging it.
	// Without it (the default, as in Kafka) batches reach the operating
	// system on every write and the disk on segment roll and Close: a
	// crash of this process loses nothing, a crash of the machine may lose
	// the last writes.
	SyncWrites bool

	// Logger receives the broker's warnings and errors. Nil means
	// slog.Default().
	Logger *slog.Logger
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d is outside 0-65535", c.Port))
	}
	if c.Partitions < 0 {
		errs = append(errs, fmt.Errorf("partitions %d is negative", c.Partitions))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Partitions == 0 {
		c.Partitions = DefaultPartitions
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
