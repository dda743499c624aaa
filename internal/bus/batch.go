package bus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// BatchConsumerConfig configures a BatchConsumer.
type BatchConsumerConfig struct {
	ConsumerConfig

	// Topics are the topics to consume. Required.
	Topics []string

	// QueueCapacity is how many records are fetched ahead of Fetch.
	// Zero means 10000.
	QueueCapacity int

	// MaxBytes is the most bytes one fetch request returns per
	// partition; it must exceed the largest record. Zero means 10 MiB.
	MaxBytes int

	// Linger is how long Fetch waits for the next record once it has one:
	// a batch ends when no record follows within Linger (the log is
	// drained), when it is full, or at Fetch's maxWait. Zero means 20ms.
	Linger time.Duration

	// Boundary, if set, reports whether a record ends a unit of work (for
	// projectors: a snapshot's commit marker). After such a record Fetch
	// takes only what has already arrived instead of lingering, so the
	// end of a snapshot is not held back by Linger.
	Boundary func(Record) bool
}

// Validate reports every problem with c at once.
func (c BatchConsumerConfig) Validate() error {
	errs := []error{c.ConsumerConfig.Validate()}
	if len(c.Topics) == 0 {
		errs = append(errs, errors.New("no topics"))
	}
	if c.QueueCapacity < 0 || c.MaxBytes < 0 {
		errs = append(errs, errors.New("queue capacity and max bytes must not be negative"))
	}
	return errors.Join(errs...)
}

// BatchConsumer fetches records in batches as a member of a consumer group,
// and commits offsets only when told to: the caller commits a batch after
// its writes succeeded. Several consumers sharing a group split the
// partitions of its topics between them.
//
// Delivery is at least once. After a rebalance or a restart the group
// resumes from the last committed offsets, so records fetched but not
// committed are fetched again, maybe by another member.
//
// Offsets are per partition, so committing a batch commits every record
// fetched before it too. A caller that cannot process a batch must not go
// on to fetch and commit later ones, which would skip it: it retries the
// batch, or closes the consumer so that the group re-reads from the last
// commit.
//
// Fetch and Commit are for one goroutine; Close may be called from any.
// The caller closes the consumer.
type BatchConsumer struct {
	cfg BatchConsumerConfig

	reader *member

	mu     sync.Mutex
	closed bool

	pending error // a fetch error held back while records were returned
}

// NewBatchConsumer creates the topics cfg names (unless told they exist)
// and returns a consumer that is joining the group in the background.
func NewBatchConsumer(ctx context.Context, cfg BatchConsumerConfig) (*BatchConsumer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating batch consumer config: %w", err)
	}
	cfg.ConsumerConfig = cfg.ConsumerConfig.withDefaults()
	cfg.QueueCapacity = orDefault(cfg.QueueCapacity, 10000)
	cfg.MaxBytes = orDefault(cfg.MaxBytes, 10<<20)
	if !cfg.AssumeTopicsExist {
		for _, topic := range cfg.Topics {
			if err := EnsureTopic(ctx, cfg.Brokers, topic, cfg.Partitions); err != nil {
				return nil, fmt.Errorf("starting batch consumer of group %s: %w", cfg.Group, err)
			}
		}
	}
	return &BatchConsumer{cfg: cfg, reader: newMember(cfg.ConsumerConfig, cfg.Topics, cfg.QueueCapacity, cfg.MaxBytes)}, nil
}

// Fetch returns up to limit records. It waits for the first record as long
// as ctx allows, then gathers more until it has limit or until maxWait has
// passed since the call, and returns what it has. Records of one partition
// come in offset order.
//
// An error (ErrClosed after Close, a context error, or a Kafka error; see
// Retryable) comes with no records. A Kafka error met after some records
// were gathered is returned by the next Fetch, so that no fetched record
// is dropped.
func (c *BatchConsumer) Fetch(ctx context.Context, limit int, maxWait time.Duration) (Batch, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("fetching a batch of %d records: the limit must be positive", limit)
	}
	if err := c.pending; err != nil {
		c.pending = nil
		return nil, err
	}
	if c.isClosed() {
		return nil, ErrClosed
	}
	deadline := time.Now().Add(maxWait)

	m, err := c.reader.FetchMessage(ctx)
	if err != nil {
		return nil, c.fetchError(err)
	}
	batch := make(Batch, 0, min(limit, c.cfg.QueueCapacity))
	batch = append(batch, recordOf(m))

	linger := c.cfg.Linger
	if linger <= 0 {
		linger = 20 * time.Millisecond
	}
	for len(batch) < limit && time.Now().Before(deadline) {
		wait := linger
		if c.cfg.Boundary != nil && c.cfg.Boundary(batch[len(batch)-1]) {
			wait = boundaryWait
		}
		m, err := c.fetchWithin(ctx, min(time.Until(deadline), wait))
		if err != nil {
			if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
				c.pending = c.fetchError(err)
			}
			break
		}
		batch = append(batch, recordOf(m))
	}
	return batch, nil
}

// boundaryWait is how long Fetch waits for a record after a Boundary one:
// long enough to take records already fetched ahead, too short to wait for
// new ones.
const boundaryWait = time.Millisecond

// fetchWithin fetches the next record if one comes within d.
func (c *BatchConsumer) fetchWithin(ctx context.Context, d time.Duration) (kafka.Message, error) {
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return c.reader.FetchMessage(wctx)
}

func (c *BatchConsumer) fetchError(err error) error {
	if errors.Is(err, io.EOF) {
		err = ErrClosed
	}
	return fmt.Errorf("fetching records of group %s: %w", c.cfg.Group, err)
}

// Commit commits the offsets of b's records: the group resumes after the
// last record of each partition in b. It returns once the commit is done.
func (c *BatchConsumer) Commit(ctx context.Context, b Batch) error {
	if len(b) == 0 {
		return nil
	}
	if c.isClosed() {
		return ErrClosed
	}
	if err := c.reader.CommitMessages(ctx, lastPerPartition(b)...); err != nil {
		if errors.Is(err, io.ErrClosedPipe) {
			err = ErrClosed
		}
		return fmt.Errorf("committing offsets of group %s: %w", c.cfg.Group, err)
	}
	return nil
}

// lastPerPartition returns the record of highest offset of each partition
// of b, as kafka-go commits them.
func lastPerPartition(b Batch) []kafka.Message {
	type tp struct {
		topic     string
		partition int
	}
	last := make(map[tp]int64)
	for _, r := range b {
		k := tp{r.Topic, r.Partition}
		if off, ok := last[k]; !ok || r.Offset > off {
			last[k] = r.Offset
		}
	}
	msgs := make([]kafka.Message, 0, len(last))
	for k, off := range last {
		msgs = append(msgs, kafka.Message{Topic: k.topic, Partition: k.partition, Offset: off})
	}
	return msgs
}

// Close leaves the group. Records fetched but not committed are fetched
// again by the group. Close is idempotent.
func (c *BatchConsumer) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if err := c.reader.close(); err != nil {
		return fmt.Errorf("closing batch consumer of group %s: %w", c.cfg.Group, err)
	}
	return nil
}

func (c *BatchConsumer) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}
