package bus_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

func TestPoisonKeepsTheRecordAndSaysWhy(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	pub := newPublisher(t, brokers)
	msg := keyed("project-1", "{not json")
	msg.Metadata.Set("event-type", "package-changed")
	require.NoError(t, pub.Publish(topic, msg))
	rec := fetchN(t, newBatchConsumer(t, brokers, testenv.Topic(t), topic), 1)[0]

	require.NoError(t, pub.Poison(context.Background(), rec, "decoding envelope: unexpected end of JSON input"))

	assert.Equal(t, topic+".poison", bus.PoisonTopic(topic))
	poisoned := fetchN(t, newBatchConsumer(t, brokers, testenv.Topic(t), bus.PoisonTopic(topic)), 1)[0]
	assert.Equal(t, rec.Key, poisoned.Key)
	assert.Equal(t, rec.Value, poisoned.Value)
	for header, want := range map[string]string{
		"event-type":              "package-changed",
		bus.UUIDHeader:            msg.UUID,
		bus.PoisonReasonHeader:    "decoding envelope: unexpected end of JSON input",
		bus.PoisonTopicHeader:     topic,
		bus.PoisonPartitionHeader: strconv.Itoa(rec.Partition),
		bus.PoisonOffsetHeader:    strconv.FormatInt(rec.Offset, 10),
	} {
		got, ok := poisoned.Header(header)
		if assert.True(t, ok, "header %s", header) {
			assert.Equal(t, want, string(got), "header %s", header)
		}
	}
}

func TestPoisonMiddleware(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	group := testenv.Topic(t)
	pub := newPublisher(t, brokers)
	sub, err := bus.NewSubscriber(bus.SubscriberConfig{ConsumerConfig: consumerConfig(brokers, group)})
	require.NoError(t, err)

	errUndecodable := errors.New("undecodable")
	router, err := message.NewRouter(message.RouterConfig{}, watermill.NopLogger{})
	require.NoError(t, err)
	router.AddMiddleware(pub.PoisonMiddleware(func(err error) bool { return errors.Is(err, errUndecodable) }))
	handled := make(chan string, 10)
	router.AddConsumerHandler("projector", topic, sub, func(msg *message.Message) error {
		if string(msg.Payload) == "bad" {
			return errUndecodable
		}
		handled <- string(msg.Payload)
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { assert.NoError(t, router.Run(ctx)) }()
	<-router.Running()

	require.NoError(t, pub.Publish(topic, keyed("p", "good"), keyed("p", "bad"), keyed("p", "after")))
	for _, want := range []string{"good", "after"} {
		select {
		case got := <-handled:
			assert.Equal(t, want, got)
		case <-time.After(30 * time.Second):
			t.Fatalf("%s was not handled", want)
		}
	}

	poisoned := fetchN(t, newBatchConsumer(t, brokers, testenv.Topic(t), bus.PoisonTopic(topic)), 1)[0]
	assert.Equal(t, "bad", string(poisoned.Value))
	reason, _ := poisoned.Header(bus.PoisonReasonHeader)
	assert.Equal(t, "undecodable", string(reason))
	offset, _ := poisoned.Header(bus.PoisonOffsetHeader)
	assert.Equal(t, "1", string(offset), "bad was the second record of its partition")

	require.NoError(t, router.Close())
	require.NoError(t, sub.Close())
	lag, err := bus.Lag(context.Background(), brokers, group, topic)
	require.NoError(t, err)
	for p, l := range lag {
		assert.Zero(t, l, "the group committed past the poisoned record in partition %d", p)
	}
}
