package bus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

// SubscriberConfig configures a Subscriber.
type SubscriberConfig struct {
	ConsumerConfig

	// NackResendDelay is how long a nacked message waits before it is
	// delivered again. Zero means 100ms.
	NackResendDelay time.Duration
}

// Validate reports every problem with c at once.
func (c SubscriberConfig) Validate() error {
	err := c.ConsumerConfig.Validate()
	if c.NackResendDelay < 0 {
		err = errors.Join(err, errors.New("nack resend delay must not be negative"))
	}
	return err
}

// Subscriber consumes Kafka topics as Watermill messages, as a member of a
// consumer group. It implements message.Subscriber and
// message.SubscribeInitializer.
//
// Each Subscribe joins the group as a member of its own and delivers one
// message at a time: the next comes after the previous one is acked, which
// commits its offset, so records of one partition are delivered in order. A
// nacked message is delivered again. Delivery is at least once: after a
// rebalance or a restart, records delivered but not yet committed are
// delivered again. A message's context carries its record
// (RecordFromContext).
//
// Its methods are safe for concurrent use. The caller closes it.
type Subscriber struct {
	cfg     SubscriberConfig
	ensured sync.Map // topic name → struct{}

	mu      sync.Mutex
	closed  bool
	closing chan struct{}
	wg      sync.WaitGroup
}

var (
	_ message.Subscriber           = (*Subscriber)(nil)
	_ message.SubscribeInitializer = (*Subscriber)(nil)
)

// NewSubscriber returns a subscriber as cfg describes. It connects when
// Subscribe is called.
func NewSubscriber(cfg SubscriberConfig) (*Subscriber, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating subscriber config: %w", err)
	}
	cfg.ConsumerConfig = cfg.ConsumerConfig.withDefaults()
	cfg.NackResendDelay = orDefault(cfg.NackResendDelay, 100*time.Millisecond)
	return &Subscriber{cfg: cfg, closing: make(chan struct{})}, nil
}

// SubscribeInitialize creates topic unless it exists (or the subscriber
// assumes topics exist).
func (s *Subscriber) SubscribeInitialize(topic string) error {
	return s.ensure(context.Background(), topic)
}

func (s *Subscriber) ensure(ctx context.Context, topic string) error {
	if s.cfg.AssumeTopicsExist {
		return nil
	}
	if _, ok := s.ensured.Load(topic); ok {
		return nil
	}
	if err := EnsureTopic(ctx, s.cfg.Brokers, topic, s.cfg.Partitions); err != nil {
		return err
	}
	s.ensured.Store(topic, struct{}{})
	return nil
}

// Subscribe joins the consumer group for topic and returns the channel its
// messages arrive on. The channel is closed when ctx is done or the
// subscriber is closed; messages not acked by then are delivered again
// later, to this group.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	s.wg.Add(1)
	s.mu.Unlock()

	if err := s.ensure(ctx, topic); err != nil {
		s.wg.Done()
		return nil, fmt.Errorf("subscribing to %s: %w", topic, err)
	}
	r := newMember(s.cfg.ConsumerConfig, []string{topic}, 100, 0)
	out := make(chan *message.Message)
	go func() {
		defer s.wg.Done()
		defer close(out)
		s.consume(ctx, r, out)
		if err := r.close(); err != nil {
			s.cfg.Logger.WarnContext(ctx, "leaving consumer group", "group", s.cfg.Group, "topic", topic, "err", err)
		}
	}()
	return out, nil
}

// consume delivers r's records on out until ctx is done or s closes.
func (s *Subscriber) consume(ctx context.Context, r *member, out chan<- *message.Message) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()

	for {
		km, err := r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, io.EOF) {
				return
			}
			s.cfg.Logger.WarnContext(ctx, "fetching records", "group", s.cfg.Group, "err", err)
			if !sleep(ctx, time.Second) {
				return
			}
			continue
		}
		if !s.deliver(ctx, r, km, out) {
			return
		}
	}
}

// deliver sends km on out until it is acked, then commits its offset. It
// reports false when ctx ended first.
func (s *Subscriber) deliver(ctx context.Context, r *member, km kafka.Message, out chan<- *message.Message) bool {
	rec := recordOf(km)
	for {
		msg := fromKafka(rec)
		msgCtx, cancel := context.WithCancel(withRecord(ctx, rec))
		msg.SetContext(msgCtx)

		select {
		case out <- msg:
		case <-ctx.Done():
			cancel()
			return false
		}

		select {
		case <-msg.Acked():
			cancel()
			if err := r.CommitMessages(ctx, km); err != nil && ctx.Err() == nil {
				// At least once: the record will be delivered again.
				s.cfg.Logger.WarnContext(ctx, "committing offset", "group", s.cfg.Group,
					"topic", km.Topic, "partition", km.Partition, "offset", km.Offset, "err", err)
			}
			return true
		case <-msg.Nacked():
			cancel()
			if !sleep(ctx, s.cfg.NackResendDelay) {
				return false
			}
		case <-ctx.Done():
			cancel()
			return false
		}
	}
}

// Close ends every subscription, leaves the group and waits until the
// message channels are closed. Messages delivered but not acked are
// delivered again later. Close is idempotent.
func (s *Subscriber) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.closing)
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}
