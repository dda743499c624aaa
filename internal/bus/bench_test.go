package bus_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

// BenchmarkPublishAndFetch publishes b.N messages in batches of 1000 and
// fetches them back in batches of up to 5000, as a producer and a projector
// do; one op is one message through the broker.
func BenchmarkPublishAndFetch(b *testing.B) {
	brokers, topic := testenv.Kafka(b), testenv.Topic(b)
	ctx := context.Background()
	pub, err := bus.NewPublisher(bus.PublisherConfig{Brokers: brokers})
	require.NoError(b, err)
	defer pub.Close()
	c, err := bus.NewBatchConsumer(ctx, bus.BatchConsumerConfig{
		ConsumerConfig: bus.ConsumerConfig{Brokers: brokers, Group: topic}, Topics: []string{topic},
	})
	require.NoError(b, err)
	defer c.Close()
	payload := make([]byte, 512)

	b.ResetTimer()
	for sent := 0; sent < b.N; {
		n := min(1000, b.N-sent)
		msgs := make([]*message.Message, n)
		for i := range msgs {
			msgs[i] = message.NewMessage(fmt.Sprint(sent+i), payload)
			msgs[i].Metadata.Set(bus.KeyMetadata, fmt.Sprintf("project-%d", (sent+i)%5000))
		}
		require.NoError(b, pub.Publish(topic, msgs...))
		sent += n
	}
	for got := 0; got < b.N; {
		batch, err := c.Fetch(ctx, 5000, 50*time.Millisecond)
		require.NoError(b, err)
		got += len(batch)
		require.NoError(b, c.Commit(ctx, batch))
	}
}
