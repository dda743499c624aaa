package bus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

// PublisherConfig configures a Publisher.
type PublisherConfig struct {
	// Brokers are the bootstrap addresses (host:port). Required.
	Brokers []string

	// Partitions is the partition count of topics the publisher creates.
	// Zero means DefaultPartitions.
	Partitions int

	// AssumeTopicsExist stops the publisher from creating each topic the
	// first time it publishes to it (EnsureTopic). Publishing to a missing
	// topic is then an error.
	AssumeTopicsExist bool

	// BatchSize is the most records sent to one partition in one request.
	// Zero means 1000.
	BatchSize int

	// BatchTimeout is how long a partial batch waits for more records
	// before it is sent. It is a publish's latency when the batch does not
	// fill up. Zero means 2ms.
	BatchTimeout time.Duration

	// WriteTimeout bounds one produce request. Zero means 10s.
	WriteTimeout time.Duration

	// MaxAttempts is how many times a batch is sent before its error is
	// returned (only retryable errors are retried). Zero means 10.
	MaxAttempts int

	// Logger receives kafka-go's log lines at debug level. Nil means
	// slog.Default().
	Logger *slog.Logger
}

// Validate reports every problem with c at once.
func (c PublisherConfig) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("no brokers"))
	}
	if c.Partitions < 0 {
		errs = append(errs, fmt.Errorf("partitions %d is negative", c.Partitions))
	}
	if c.BatchSize < 0 || c.BatchTimeout < 0 || c.WriteTimeout < 0 || c.MaxAttempts < 0 {
		errs = append(errs, errors.New("batch size, batch timeout, write timeout and max attempts must not be negative"))
	}
	return errors.Join(errs...)
}

func (c PublisherConfig) withDefaults() PublisherConfig {
	c.Partitions = orDefault(c.Partitions, DefaultPartitions)
	c.BatchSize = orDefault(c.BatchSize, 1000)
	c.BatchTimeout = orDefault(c.BatchTimeout, 2*time.Millisecond)
	c.WriteTimeout = orDefault(c.WriteTimeout, 10*time.Second)
	c.MaxAttempts = orDefault(c.MaxAttempts, 10)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Publisher publishes Watermill messages to Kafka. It implements
// message.Publisher. Each publish waits until all in-sync replicas have
// acknowledged every message, or returns an error; messages of one key go to
// one partition (murmur2 of the key, as the Java client chooses). Its
// methods are safe for concurrent use. The caller closes it.
type Publisher struct {
	cfg       PublisherConfig
	transport forgetfulTransport
	client    *kafka.Client
	writer    *kafka.Writer

	ensureMu sync.Mutex // one topic creation at a time
	ensured  sync.Map   // topic name → struct{}, topics known to exist

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

var _ message.Publisher = (*Publisher)(nil)

// NewPublisher returns a publisher as cfg describes. It connects lazily.
func NewPublisher(cfg PublisherConfig) (*Publisher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating publisher config: %w", err)
	}
	cfg = cfg.withDefaults()
	t := forgetfulTransport{newTransport()}
	addr := kafka.TCP(cfg.Brokers...)
	log := kafkaLogger{cfg.Logger.With("component", "kafka-writer")}
	return &Publisher{
		cfg:       cfg,
		transport: t,
		client:    &kafka.Client{Addr: addr, Transport: t},
		writer: &kafka.Writer{
			Addr:         addr,
			Balancer:     &explicitOrMurmur2{},
			MaxAttempts:  cfg.MaxAttempts,
			BatchSize:    cfg.BatchSize,
			BatchTimeout: cfg.BatchTimeout,
			WriteTimeout: cfg.WriteTimeout,
			RequiredAcks: kafka.RequireAll,
			Transport:    t,
			Logger:       log,
			ErrorLogger:  log,
		},
	}, nil
}

// Publish publishes msgs to topic and returns once all are acknowledged or
// any failed. It is PublishContext without a deadline of its own: the
// writer's timeouts and attempts bound it.
func (p *Publisher) Publish(topic string, msgs ...*message.Message) error {
	return p.PublishContext(context.Background(), topic, msgs...)
}

// PublishContext publishes msgs to topic and returns once all are
// acknowledged, or an error if any failed (then some may have been written:
// re-publishing may duplicate them). If ctx ends first it returns ctx's
// error, and the messages may still be written.
func (p *Publisher) PublishContext(ctx context.Context, topic string, msgs ...*message.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	kms := make([]kafka.Message, len(msgs))
	for i, msg := range msgs {
		kms[i] = toKafka(topic, msg)
	}
	if err := p.write(ctx, topic, p.cfg.Partitions, kms); err != nil {
		return fmt.Errorf("publishing %d messages to %s: %w", len(msgs), topic, err)
	}
	return nil
}

// write ensures topic exists (created with partitions if not) and writes kms.
func (p *Publisher) write(ctx context.Context, topic string, partitions int, kms []kafka.Message) error {
	if p.closed.Load() {
		return ErrClosed
	}
	if !p.cfg.AssumeTopicsExist {
		if err := p.ensure(ctx, topic, partitions); err != nil {
			return err
		}
	}
	err := p.writer.WriteMessages(ctx, kms...)
	if errors.Is(err, io.ErrClosedPipe) {
		return ErrClosed
	}
	return err
}

// ensure creates topic the first time the publisher meets it. Creations are
// serialized, so that many first publishes at once make one request (and
// one pooled connection), not one each.
func (p *Publisher) ensure(ctx context.Context, topic string, partitions int) error {
	if _, ok := p.ensured.Load(topic); ok {
		return nil
	}
	p.ensureMu.Lock()
	defer p.ensureMu.Unlock()
	if _, ok := p.ensured.Load(topic); ok {
		return nil
	}
	if err := ensureTopic(ctx, p.client, topic, partitions); err != nil {
		return err
	}
	p.ensured.Store(topic, struct{}{})
	return nil
}

// Close waits for publishes in flight, then closes the publisher's
// connections. It is idempotent; publishing afterwards returns ErrClosed.
func (p *Publisher) Close() error {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		if err := p.writer.Close(); err != nil {
			p.closeErr = fmt.Errorf("closing publisher: %w", err)
		}
		p.transport.CloseIdleConnections()
	})
	return p.closeErr
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
