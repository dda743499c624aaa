package bus_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
)

func TestPublishKeepsOrderPerKey(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	pub := newPublisher(t, brokers)

	const keys, perKey = 20, 25
	for round := range perKey {
		var msgs []*message.Message
		for k := range keys {
			msgs = append(msgs, keyed(fmt.Sprintf("project-%d", k), strconv.Itoa(round)))
		}
		require.NoError(t, pub.Publish(topic, msgs...))
	}

	got := fetchN(t, newBatchConsumer(t, brokers, topic, topic), keys*perKey)
	partitionOf := map[string]int{}
	next := map[string]int{}
	for _, r := range got {
		key := string(r.Key)
		if p, ok := partitionOf[key]; ok {
			assert.Equal(t, p, r.Partition, "all records of %s are in one partition", key)
		}
		partitionOf[key] = r.Partition
		assert.Equal(t, strconv.Itoa(next[key]), string(r.Value), "records of %s arrive in publish order", key)
		next[key]++
	}
	assert.Len(t, next, keys)
}

func TestPartitionMatchesJavaClient(t *testing.T) {
	// The murmur2 hashes of these keys are the Java client's own test
	// vectors (Kafka's UtilsTest); the Java default partitioner puts a key
	// in partition (hash & 0x7fffffff) % partitions.
	javaHashes := map[string]int32{
		"21":                         -973932308,
		"foobar":                     -790332482,
		"a-little-bit-long-string":   -985981536,
		"a-little-bit-longer-string": -1486304829,
		"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
		"abc": 479470107,
	}
	brokers, topic := kafkaEnv(t)
	pub := newPublisher(t, brokers)
	for key := range javaHashes {
		require.NoError(t, pub.Publish(topic, keyed(key, key)))
	}

	got := fetchN(t, newBatchConsumer(t, brokers, topic, topic), len(javaHashes))
	for _, r := range got {
		want := int(uint32(javaHashes[string(r.Key)])&0x7fffffff) % bus.DefaultPartitions
		assert.Equal(t, want, r.Partition, "partition of key %q", r.Key)
	}
}

func TestPublishCarriesMetadataAsHeaders(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	pub := newPublisher(t, brokers)
	msg := keyed("project-1", "payload")
	msg.Metadata.Set("event-type", "package-changed")
	require.NoError(t, pub.Publish(topic, msg))

	r := fetchN(t, newBatchConsumer(t, brokers, topic, topic), 1)[0]
	assert.Equal(t, "project-1", string(r.Key))
	assert.Equal(t, "payload", string(r.Value))
	h, ok := r.Header("event-type")
	assert.True(t, ok)
	assert.Equal(t, "package-changed", string(h))
	h, _ = r.Header(bus.UUIDHeader)
	assert.Equal(t, msg.UUID, string(h))
	_, ok = r.Header(bus.KeyMetadata)
	assert.False(t, ok, "the key is the record's key, not a header")
}

func TestPublishToMissingTopicWhenAssumedToExist(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	pub, err := bus.NewPublisher(bus.PublisherConfig{Brokers: brokers, AssumeTopicsExist: true})
	require.NoError(t, err)
	defer pub.Close()

	err = pub.Publish(topic, keyed("k", "v"))
	require.ErrorIs(t, err, kafka.UnknownTopicOrPartition)
	assert.True(t, bus.Retryable(err), "the topic may yet be created")
}

func TestPublisherClose(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	pub, err := bus.NewPublisher(bus.PublisherConfig{Brokers: brokers})
	require.NoError(t, err)
	require.NoError(t, pub.Publish(topic, keyed("k", "v")))

	require.NoError(t, pub.Close())
	require.NoError(t, pub.Close(), "Close is idempotent")
	err = pub.Publish(topic, keyed("k", "v"))
	assert.ErrorIs(t, err, bus.ErrClosed)
	assert.False(t, bus.Retryable(err))
}

func TestEnsureTopic(t *testing.T) {
	brokers, topic := kafkaEnv(t)
	ctx := context.Background()
	require.NoError(t, bus.EnsureTopic(ctx, brokers, topic, 3))
	require.NoError(t, bus.EnsureTopic(ctx, brokers, topic, 5), "an existing topic is fine, and left alone")

	// A transport of its own: the default one caches metadata.
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: &kafka.Transport{}}
	meta, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	require.NoError(t, err)
	require.Len(t, meta.Topics, 1)
	assert.Len(t, meta.Topics[0].Partitions, 3)

	resp, err := c.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: []string{"retention.ms", "retention.bytes"},
	}}})
	require.NoError(t, err)
	require.Len(t, resp.Resources, 1)
	got := map[string]string{}
	for _, e := range resp.Resources[0].ConfigEntries {
		got[e.ConfigName] = e.ConfigValue
	}
	assert.Equal(t, map[string]string{"retention.ms": "-1", "retention.bytes": "-1"}, got)
}
