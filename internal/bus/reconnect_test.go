package bus_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/broker"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

// TestBrokerRestarts publishes from many goroutines while the broker
// restarts twice from its data directory, and checks that a Subscriber and
// a BatchConsumer, reading all along, get every acknowledged message.
//
// It stands in for the Watermill suite's TestReconnect, which needs a
// command restarting the broker and compares the messages received with a
// list of published ones that it fills in another goroutine, unsynchronized:
// with a transport this quick the last messages arrive before they are
// listed, and it reports them as unexpected.
func TestBrokerRestarts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := broker.Start(ctx, broker.Config{DataDir: dir})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, b.Close()) })
	brokers, topic := b.Addrs(), testenv.Topic(t)
	require.NoError(t, bus.EnsureTopic(ctx, brokers, topic, bus.DefaultPartitions))

	sub, err := bus.NewSubscriber(bus.SubscriberConfig{ConsumerConfig: consumerConfig(brokers, topic+"-subscriber")})
	require.NoError(t, err)
	defer sub.Close()
	msgs, err := sub.Subscribe(ctx, topic)
	require.NoError(t, err)
	batches := newBatchConsumer(t, brokers, topic+"-batches", topic)

	const total, publishers = 3000, 20
	var (
		mu        sync.Mutex // guards published and b
		published []string
		next      atomic.Int64
		wg        sync.WaitGroup
	)
	restart := func() error {
		mu.Lock()
		defer mu.Unlock()
		if err := b.Close(); err != nil {
			return err
		}
		var err error
		b, err = broker.Start(ctx, broker.Config{DataDir: dir})
		return err
	}
	pub := newPublisher(t, brokers)
	for range publishers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= total; i = next.Add(1) {
				if i == total/3 || i == 2*total/3 {
					if !assert.NoError(t, restart()) {
						return
					}
				}
				msg := keyed(fmt.Sprintf("project-%d", i%50), fmt.Sprint(i))
				for {
					err := pub.Publish(topic, msg)
					if err == nil {
						break
					}
					if !assert.True(t, bus.Retryable(err), "publishing: %v", err) {
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
				mu.Lock()
				published = append(published, msg.UUID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Len(t, published, total)

	// Delivery is at least once: count distinct messages.
	deadline := time.After(60 * time.Second)
	viaSubscriber := map[string]bool{}
	for len(viaSubscriber) < total {
		select {
		case msg := <-msgs:
			viaSubscriber[msg.UUID] = true
			msg.Ack()
		case <-deadline:
			t.Fatalf("the subscriber received %d of %d messages", len(viaSubscriber), total)
		}
	}
	viaBatches := map[string]bool{}
	fetchCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for len(viaBatches) < total {
		batch, err := batches.Fetch(fetchCtx, total, 100*time.Millisecond)
		require.NoError(t, err, "the batch consumer fetched %d of %d messages", len(viaBatches), total)
		for _, r := range batch {
			uuid, _ := r.Header(bus.UUIDHeader)
			viaBatches[string(uuid)] = true
		}
	}
	for _, id := range published {
		assert.True(t, viaSubscriber[id], "the subscriber received %s", id)
		assert.True(t, viaBatches[id], "the batch consumer fetched %s", id)
	}
}

// TestPublisherReconnectsAtOnce checks that after a broker restart a
// publisher needs one failed attempt, not one per pooled connection.
func TestPublisherReconnectsAtOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := broker.Start(ctx, broker.Config{DataDir: dir})
	require.NoError(t, err)
	brokers, topic := b.Addrs(), testenv.Topic(t)
	pub, err := bus.NewPublisher(bus.PublisherConfig{Brokers: brokers, MaxAttempts: 2})
	require.NoError(t, err)
	defer pub.Close()

	// Writing to every partition at once pools a connection per partition.
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, pub.Publish(topic, keyed(fmt.Sprint(i), "before")))
		}()
	}
	wg.Wait()

	require.NoError(t, b.Close())
	b, err = broker.Start(ctx, broker.Config{DataDir: dir})
	require.NoError(t, err)
	defer b.Close()

	for i := range 5 {
		assert.NoError(t, pub.Publish(topic, keyed("one-key", "after")), "publish %d after the restart", i)
	}
}
