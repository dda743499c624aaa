package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol/metadata"
)

const (
	// DefaultPartitions is the partition count of topics this package
	// creates when the caller does not say. Producers and consumers of one
	// topic must agree on it: the partition of a key depends on it.
	DefaultPartitions = 12

	// PoisonSuffix makes the name of a topic's poison topic.
	PoisonSuffix = ".poison"
)

// PoisonTopic returns the name of the poison topic of topic.
func PoisonTopic(topic string) string { return topic + PoisonSuffix }

// infiniteRetention are the settings of every topic this package creates.
var infiniteRetention = []kafka.ConfigEntry{
	{ConfigName: "retention.ms", ConfigValue: "-1"},
	{ConfigName: "retention.bytes", ConfigValue: "-1"},
}

// EnsureTopic creates topic with the given number of partitions and
// infinite retention, unless it already exists; an existing topic is left
// as it is. The replication factor is the cluster's default
// (default.replication.factor). It is safe to call concurrently and again.
func EnsureTopic(ctx context.Context, brokers []string, topic string, partitions int) error {
	if len(brokers) == 0 {
		return fmt.Errorf("ensuring topic %s: no brokers", topic)
	}
	t := newTransport()
	defer t.CloseIdleConnections()
	return ensureTopic(ctx, &kafka.Client{Addr: kafka.TCP(brokers...), Transport: t}, topic, partitions)
}

// ensureTopic is EnsureTopic through c. Afterwards c's transport knows the
// topic, so a writer sharing the transport can publish to it at once.
func ensureTopic(ctx context.Context, c *kafka.Client, topic string, partitions int) error {
	if partitions <= 0 {
		return fmt.Errorf("ensuring topic %s: %d partitions", topic, partitions)
	}
	resp, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic:             topic,
		NumPartitions:     partitions,
		ReplicationFactor: -1,
		ConfigEntries:     infiniteRetention,
	}}})
	if err == nil {
		err = resp.Errors[topic]
	}
	switch {
	case err == nil:
		return nil // the transport refreshed its metadata itself
	case errors.Is(err, kafka.TopicAlreadyExists):
		return refreshTopic(ctx, c, topic)
	default:
		return fmt.Errorf("creating topic %s with %d partitions: %w", topic, partitions, err)
	}
}

// refreshTopic makes c's transport fetch the metadata of topic, which exists,
// instead of answering from its cache (which is refreshed every few seconds
// and after the transport itself creates a topic, but not when another
// client created it). Asking with auto-creation allowed is what sends the
// request past the cache; the topic exists, so nothing is created.
func refreshTopic(ctx context.Context, c *kafka.Client, topic string) error {
	resp, err := c.Transport.RoundTrip(ctx, c.Addr, &metadata.Request{
		TopicNames:             []string{topic},
		AllowAutoTopicCreation: true,
	})
	if err != nil {
		return fmt.Errorf("reading metadata of topic %s: %w", topic, err)
	}
	for _, t := range resp.(*metadata.Response).Topics {
		if t.Name == topic && t.ErrorCode != 0 {
			return fmt.Errorf("reading metadata of topic %s: %w", topic, kafka.Error(t.ErrorCode))
		}
	}
	return nil
}
