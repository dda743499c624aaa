package bus

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/segmentio/kafka-go"
)

// ConsumerConfig is what a Subscriber and a BatchConsumer need to be a
// member of a consumer group.
type ConsumerConfig struct {
	// Brokers are the bootstrap addresses (host:port). Required.
	Brokers []string

	// Group is the consumer group id. Required. Consumers sharing a group
	// split the partitions of its topics between them; the group's
	// committed offsets say where it resumes. A group with no committed
	// offset for a partition starts at the partition's first record.
	Group string

	// Partitions is the partition count of topics the consumer creates.
	// Zero means DefaultPartitions.
	Partitions int

	// AssumeTopicsExist stops the consumer from creating a topic it reads
	// (EnsureTopic) before joining the group.
	AssumeTopicsExist bool

	// HeartbeatInterval is how often a member tells the group it is alive;
	// it is also how fast a member learns that the group rebalances. Zero
	// means 1s.
	HeartbeatInterval time.Duration

	// SessionTimeout is how long a silent member stays in the group; its
	// partitions wait that long when it dies. Zero means 10s.
	SessionTimeout time.Duration

	// RebalanceTimeout is how long a rebalance waits for members to
	// rejoin; a member rejoins within HeartbeatInterval plus FetchMaxWait,
	// whatever its caller is doing. Zero means 10s.
	RebalanceTimeout time.Duration

	// FetchMaxWait is how long a fetch waits at the broker for records to
	// arrive. It also bounds how long leaving a generation (rebalance,
	// Close) waits for fetches in flight. kafka-go gives the broker's
	// answer a quarter of it (at most 1s) beyond that before it drops the
	// connection, so a short wait on a loaded machine means reconnects.
	// Zero means 1s.
	FetchMaxWait time.Duration

	// Logger receives the consumer's warnings, and kafka-go's log lines at
	// debug level. Nil means slog.Default().
	Logger *slog.Logger
}

// Validate reports every problem with c at once.
func (c ConsumerConfig) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("no brokers"))
	}
	if c.Group == "" {
		errs = append(errs, errors.New("no consumer group"))
	}
	if c.Partitions < 0 {
		errs = append(errs, fmt.Errorf("partitions %d is negative", c.Partitions))
	}
	if c.HeartbeatInterval < 0 || c.SessionTimeout < 0 || c.RebalanceTimeout < 0 || c.FetchMaxWait < 0 {
		errs = append(errs, errors.New("heartbeat interval, session timeout, rebalance timeout and fetch max wait must not be negative"))
	}
	return errors.Join(errs...)
}

func (c ConsumerConfig) withDefaults() ConsumerConfig {
	c.Partitions = orDefault(c.Partitions, DefaultPartitions)
	c.HeartbeatInterval = orDefault(c.HeartbeatInterval, time.Second)
	c.SessionTimeout = orDefault(c.SessionTimeout, 10*time.Second)
	c.RebalanceTimeout = orDefault(c.RebalanceTimeout, 10*time.Second)
	c.FetchMaxWait = orDefault(c.FetchMaxWait, time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// readerConfig returns the kafka-go consumer-group reader configuration of
// a member: explicit, synchronous commits only (CommitInterval 0: the caller
// commits), and a rebalance when partitions are added.
func (c ConsumerConfig) readerConfig(clientID string, topics []string, queue, maxBytes int) kafka.ReaderConfig {
	log := kafkaLogger{c.Logger.With("component", "kafka-reader", "group", c.Group)}
	return kafka.ReaderConfig{
		Brokers:               c.Brokers,
		GroupID:               c.Group,
		GroupTopics:           topics,
		QueueCapacity:         queue,
		MaxBytes:              maxBytes,
		MaxWait:               c.FetchMaxWait,
		HeartbeatInterval:     c.HeartbeatInterval,
		SessionTimeout:        c.SessionTimeout,
		RebalanceTimeout:      c.RebalanceTimeout,
		CommitInterval:        0,
		StartOffset:           kafka.FirstOffset,
		WatchPartitionChanges: true,
		ReadBackoffMin:        50 * time.Millisecond,
		ReadBackoffMax:        time.Second,
		JoinGroupBackoff:      time.Second,
		Dialer:                &kafka.Dialer{ClientID: clientID, Timeout: 10 * time.Second, DualStack: true},
		Logger:                log,
		ErrorLogger:           log,
	}
}
