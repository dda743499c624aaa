package bus_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/pubsub/tests"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

// TestWatermillPubSub runs Watermill's shared Pub/Sub suite against the
// Publisher and Subscriber.
func TestWatermillPubSub(t *testing.T) {
	brokers := testenv.Kafka(t)
	features := tests.Features{
		ConsumerGroups: true,
		// kafka-go has no idempotent producer and offsets are committed
		// after delivery: at least once.
		ExactlyOnceDelivery: false,
		// In order per partition, with any number of subscribers in a
		// group, for messages of one key (see keyByPayload).
		GuaranteedOrder: true,
		Persistent:      true,
		// A new subscriber joins the same consumer group, which resumes
		// from its committed offsets.
		NewSubscriberReceivesOldMessages: false,
	}
	tests.TestPubSub(t, features,
		func(t *testing.T) (message.Publisher, message.Subscriber) {
			return suitePublisher(t, brokers), &groupPerTopic{brokers: brokers}
		},
		func(t *testing.T, group string) (message.Publisher, message.Subscriber) {
			return suitePublisher(t, brokers), suiteSubscriber(t, brokers, group)
		},
	)
}

func suiteConfig(brokers []string, group string) bus.SubscriberConfig {
	return bus.SubscriberConfig{
		ConsumerConfig: bus.ConsumerConfig{
			Brokers:           brokers,
			Group:             group,
			HeartbeatInterval: 250 * time.Millisecond,
			FetchMaxWait:      500 * time.Millisecond,
		},
		NackResendDelay: 10 * time.Millisecond,
	}
}

func suiteSubscriber(t *testing.T, brokers []string, group string) *bus.Subscriber {
	s, err := bus.NewSubscriber(suiteConfig(brokers, group))
	require.NoError(t, err)
	return s
}

func suitePublisher(t *testing.T, brokers []string) message.Publisher {
	p, err := bus.NewPublisher(bus.PublisherConfig{Brokers: brokers})
	require.NoError(t, err)
	return keyByPayload{p}
}

// keyByPayload keys each message by its payload: the suite's order test
// expects the messages of each payload in order, which Kafka gives to
// messages of one key. Other tests publish one payload or many, so both one
// partition and many are exercised.
type keyByPayload struct{ *bus.Publisher }

func (p keyByPayload) Publish(topic string, msgs ...*message.Message) error {
	for _, msg := range msgs {
		msg.Metadata.Set(bus.KeyMetadata, string(msg.Payload))
	}
	return p.Publisher.Publish(topic, msgs...)
}

// groupPerTopic subscribes to each topic in a consumer group named after
// the topic. The suite gives every test of its plain constructor the same
// group, and a Kafka group spanning the unrelated topics of parallel tests
// would make their members rebalance one another all the time.
type groupPerTopic struct {
	brokers []string

	mu   sync.Mutex
	subs []*bus.Subscriber
}

func (g *groupPerTopic) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	s, err := bus.NewSubscriber(suiteConfig(g.brokers, "group-"+topic))
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	g.subs = append(g.subs, s)
	g.mu.Unlock()
	return s.Subscribe(ctx, topic)
}

func (g *groupPerTopic) SubscribeInitialize(topic string) error {
	return bus.EnsureTopic(context.Background(), g.brokers, topic, bus.DefaultPartitions)
}

func (g *groupPerTopic) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range g.subs {
		if err := s.Close(); err != nil {
			return err
		}
	}
	return nil
}
