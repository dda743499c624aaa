package eventlog

import (
	"context"

	"errors"
	"fmt"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/cespare/xxhash/v2"
	"strconv"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/producers"
)

// Config configures a Log.
type Config struct {
	Brokers []string
	Topic   string
	// Partitions is the partition count the topic is created with when it
	// does not exist (default 8).
	Partitions int
}

// Log appends to and reads one topic. Safe for concurrent use; Close
// releases the publisher and is idempotent.
type Log struct {
	cfg   Config
	pub   *bus.Publisher
	mu    sync.Mutex
	parts int // cached partition count
}

// Open ensures the topic exists (infinite retention) and returns its Log.
func Open(ctx context.Context, cfg Config) (*Log, error) {
	if cfg.Partitions <= 0 {
		cfg.Partitions = 8
	}
	if err := bus.EnsureTopic(ctx, cfg.Brokers, cfg.Topic, cfg.Partitions); err != nil {
		return nil, fmt.Errorf("opening event log %s: %w", cfg.Topic, err)
	}
	pub, err := bus.NewPublisher(bus.PublisherConfig{Brokers: cfg.Brokers, Partitions: cfg.Partitions, AssumeTopicsExist: true, BatchSize: 5000})
	if err != nil {
		return nil, fmt.Errorf("opening event log %s: %w", cfg.Topic, err)
	}
	return &Log{cfg: cfg, pub: pub}, nil
}

// Partitions returns the topic's partition count.
func (l *Log) Partitions(ctx context.Context) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.parts > 0 {
		return l.parts, nil
	}
	conn, err := kafka.DialContext(ctx, "tcp", l.cfg.Brokers[0])
	if err != nil {
		return 0, fmt.Errorf("reading partitions of %s: %w", l.cfg.Topic, err)
	}
	defer conn.Close()
	ps, err := conn.ReadPartitions(l.cfg.Topic)
	if err != nil {
		return 0, fmt.Errorf("reading partitions of %s: %w", l.cfg.Topic, err)
	}
	l.parts = len(ps)
	return l.parts, nil
}

// Append writes messages and returns once all are acknowledged by every
// in-sync replica. A message's Watermill UUID is the hash of its value, so
// a duplicate written by a retry carries the same one.
func (l *Log) Append(ctx context.Context, msgs []producers.Message) error {
	wms := make([]*message.Message, len(msgs))
	for i, m := range msgs {
		wm := message.NewMessage(strconv.FormatUint(xxhash.Sum64(m.Value), 16), m.Value)
		wm.Metadata.Set(bus.KeyMetadata, string(m.Key))
		if m.Partition >= 0 {
			wm.Metadata.Set(bus.PartitionMetadata, strconv.Itoa(m.Partition))
		}
		wms[i] = wm
	}
	if err := l.pub.PublishContext(ctx, l.cfg.Topic, wms...); err != nil {
		return fmt.Errorf("appending %d messages to %s: %w", len(msgs), l.cfg.Topic, err)
	}
	return nil
}

// ReadAll reads every partition from its first offset to the end it had
// when ReadAll started, decoding each record; undecodable records are
// skipped (they are the poison topic's business).
func (l *Log) ReadAll(ctx context.Context, fn func(*events.Envelope) error) error {
	parts, err := l.Partitions(ctx)
	if err != nil {
		return err
	}
	for p := range parts {
		if err := l.readPartition(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

func (l *Log) readPartition(ctx context.Context, p int, fn func(*events.Envelope) error) error {
	conn, err := kafka.DialLeader(ctx, "tcp", l.cfg.Brokers[0], l.cfg.Topic, p)
	if err != nil {
		return fmt.Errorf("reading %s/%d: %w", l.cfg.Topic, p, err)
	}
	first, last, err := conn.ReadOffsets()
	conn.Close()
	if err != nil {
		return fmt.Errorf("reading offsets of %s/%d: %w", l.cfg.Topic, p, err)
	}
	if last <= first {
		return nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: l.cfg.Brokers, Topic: l.cfg.Topic, Partition: p, MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 200 * time.Millisecond})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return fmt.Errorf("reading %s/%d: %w", l.cfg.Topic, p, err)
	}
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return fmt.Errorf("reading %s/%d: %w", l.cfg.Topic, p, err)
		}
		if e, err := events.Decode(m.Value); err == nil {
			if err := fn(e); err != nil {
				return err
			}
		} else if !errors.Is(err, events.ErrInvalid) {
			return err
		}
		if m.Offset+1 >= last {
			return nil
		}
	}
}

// Close flushes and closes the publisher.
func (l *Log) Close() error {
	if err := l.pub.Close(); err != nil {
		return fmt.Errorf("closing event log: %w", err)
	}
	return nil
}
