package bus_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

func TestLag(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	group := testenv.Topic(t)
	ctx := context.Background()
	const partitions = 3
	require.NoError(t, bus.EnsureTopic(ctx, brokers, topic, partitions))
	pub := newPublisher(t, brokers)

	// 10 records in partition "a", 4 in "b", none in "c" (by key).
	keys := map[string]int{"a": 10, "b": 4}
	for key, n := range keys {
		for range n {
			require.NoError(t, pub.Publish(topic, keyed(key, "x")))
		}
	}
	partitionOf := map[string]int{}
	consumer := newBatchConsumer(t, brokers, group, topic)

	lag, err := bus.Lag(ctx, brokers, group, topic)
	require.NoError(t, err)
	assert.Len(t, lag, partitions)
	total := int64(0)
	for _, l := range lag {
		total += l
	}
	assert.Equal(t, int64(14), total, "a group that committed nothing has the whole log to read")

	all := fetchN(t, consumer, 14)
	var firstOfA bus.Batch
	for _, r := range all {
		partitionOf[string(r.Key)] = r.Partition
		if string(r.Key) == "a" && len(firstOfA) < 6 {
			firstOfA = append(firstOfA, r)
		}
	}
	require.NoError(t, consumer.Commit(ctx, firstOfA))

	lag, err = bus.Lag(ctx, brokers, group, topic)
	require.NoError(t, err)
	want := map[int]int64{}
	for p := range partitions {
		want[p] = 0
	}
	want[partitionOf["a"]] += 4
	want[partitionOf["b"]] += 4
	assert.Equal(t, want, lag)

	require.NoError(t, consumer.Commit(ctx, all))
	lag, err = bus.Lag(ctx, brokers, group, topic)
	require.NoError(t, err)
	assert.Equal(t, map[int]int64{0: 0, 1: 0, 2: 0}, lag)
}

func TestLagOfMissingTopic(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	_, err := bus.Lag(context.Background(), brokers, "group", topic)
	assert.Error(t, err)
}
