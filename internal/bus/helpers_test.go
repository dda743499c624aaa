package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

// consumerConfig is a consumer configuration that reacts fast, for tests.
func consumerConfig(brokers []string, group string) bus.ConsumerConfig {
	return bus.ConsumerConfig{
		Brokers:           brokers,
		Group:             group,
		HeartbeatInterval: 100 * time.Millisecond,
		FetchMaxWait:      500 * time.Millisecond,
	}
}

func newPublisher(t *testing.T, brokers []string) *bus.Publisher {
	t.Helper()
	p, err := bus.NewPublisher(bus.PublisherConfig{Brokers: brokers})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, p.Close()) })
	return p
}

func newBatchConsumer(t *testing.T, brokers []string, group string, topics ...string) *bus.BatchConsumer {
	t.Helper()
	c, err := bus.NewBatchConsumer(context.Background(), bus.BatchConsumerConfig{ConsumerConfig: consumerConfig(brokers, group), Topics: topics})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}

// keyed returns a message with key and payload.
func keyed(key, payload string) *message.Message {
	msg := message.NewMessage(payload, []byte(payload))
	msg.Metadata.Set(bus.KeyMetadata, key)
	return msg
}

// fetchN fetches until it has n records, failing the test if they do not
// arrive within a while.
func fetchN(t *testing.T, c *bus.BatchConsumer, n int) bus.Batch {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var all bus.Batch
	for len(all) < n {
		b, err := c.Fetch(ctx, n-len(all), 50*time.Millisecond)
		require.NoError(t, err, "fetched %d of %d records", len(all), n)
		all = append(all, b...)
	}
	return all
}

// fetchNothing asserts that no record arrives within wait.
func fetchNothing(t *testing.T, c *bus.BatchConsumer, wait time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	b, err := c.Fetch(ctx, 1, wait)
	require.ErrorIs(t, err, context.DeadlineExceeded, "unexpected records: %v", b)
}

// waitGroupMembers waits until group is stable with n members that all have
// partitions assigned.
func waitGroupMembers(t *testing.T, brokers []string, group string, n int) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(brokers...)}
	require.Eventually(t, func() bool {
		resp, err := c.DescribeGroups(context.Background(), &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err != nil || len(resp.Groups) != 1 {
			return false
		}
		g := resp.Groups[0]
		if g.GroupState != "Stable" || len(g.Members) != n {
			return false
		}
		for _, m := range g.Members {
			if len(m.MemberAssignments.Topics) == 0 {
				return false
			}
		}
		return true
	}, 30*time.Second, 50*time.Millisecond, "group %s never became stable with %d members", group, n)
}

// kafkaEnv returns the brokers and a fresh topic for a test.
func kafkaEnv(t *testing.T) (brokers []string, topic string) {
	t.Helper()
	return testenv.Kafka(t), testenv.Topic(t)
}
