package bus_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

func publishN(t *testing.T, pub *bus.Publisher, topic string, from, to int) {
	t.Helper()
	var msgs []*message.Message
	for i := from; i < to; i++ {
		msgs = append(msgs, keyed(fmt.Sprintf("project-%d", i), fmt.Sprint(i)))
	}
	require.NoError(t, pub.Publish(topic, msgs...))
}

func values(b bus.Batch) []string {
	vs := make([]string, len(b))
	for i, r := range b {
		vs[i] = string(r.Value)
	}
	return vs
}

func TestFetch(t *testing.T) {
	tests := []struct {
		name      string
		published int
		max       int
		want      int
	}{
		{name: "a fetch stops at max records", published: 50, max: 10, want: 10},
		{name: "a fetch returns what arrived once max wait has passed", published: 5, max: 100, want: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			brokers, topic := kafkaEnv(t)
			publishN(t, newPublisher(t, brokers), topic, 0, tt.published)
			c := newBatchConsumer(t, brokers, topic, topic)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			b, err := c.Fetch(ctx, tt.max, time.Second)
			require.NoError(t, err)
			assert.Len(t, b, tt.want)
		})
	}
}

func TestFetchWaitsForAFirstRecord(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	pub := newPublisher(t, brokers)
	c := newBatchConsumer(t, brokers, topic, topic)
	go func() {
		time.Sleep(300 * time.Millisecond)
		publishN(t, pub, topic, 0, 1)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := c.Fetch(ctx, 10, time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, []string{"0"}, values(b))
}

func TestUncommittedRecordsAreFetchedAgain(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	group := testenv.Topic(t)
	publishN(t, newPublisher(t, brokers), topic, 0, 40)

	// The first member writes the first half and commits it, then fetches
	// the rest and dies before its writes succeed.
	first, err := bus.NewBatchConsumer(context.Background(), bus.BatchConsumerConfig{ConsumerConfig: consumerConfig(brokers, group), Topics: []string{topic}})
	require.NoError(t, err)
	committed := fetchN(t, first, 20)
	require.NoError(t, first.Commit(context.Background(), committed))
	uncommitted := fetchN(t, first, 20)
	require.NoError(t, first.Close())
	assert.ErrorIs(t, first.Commit(context.Background(), uncommitted), bus.ErrClosed)

	// A new member of the group gets exactly what was not committed.
	second := newBatchConsumer(t, brokers, group, topic)
	again := fetchN(t, second, 20)
	assert.ElementsMatch(t, values(uncommitted), values(again))
	fetchNothing(t, second, 300*time.Millisecond)
}

func TestConsumersInAGroupSplitPartitions(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	group := testenv.Topic(t)
	pub := newPublisher(t, brokers)
	require.NoError(t, bus.EnsureTopic(context.Background(), brokers, topic, bus.DefaultPartitions))

	members := []*bus.BatchConsumer{
		newBatchConsumer(t, brokers, group, topic),
		newBatchConsumer(t, brokers, group, topic),
	}
	waitGroupMembers(t, brokers, group, len(members))

	const total = 240
	publishN(t, pub, topic, 0, total)

	var (
		mu         sync.Mutex
		fetched    int
		partitions = make([]map[int]bool, len(members))
		wg         sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, c := range members {
		partitions[i] = map[int]bool{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				b, err := c.Fetch(ctx, 50, 50*time.Millisecond)
				if err != nil {
					return
				}
				mu.Lock()
				for _, r := range b {
					partitions[i][r.Partition] = true
				}
				fetched += len(b)
				if fetched >= total {
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	assert.Equal(t, total, fetched, "every record is fetched once")
	assert.NotEmpty(t, partitions[0], "the first member reads some partitions")
	assert.NotEmpty(t, partitions[1], "the second member reads some partitions")
	for p := range partitions[0] {
		assert.False(t, partitions[1][p], "partition %d is read by both members", p)
	}
	assert.Equal(t, bus.DefaultPartitions, len(partitions[0])+len(partitions[1]), "together they read every partition")
}
