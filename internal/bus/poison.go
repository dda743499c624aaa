package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

// Headers a poisoned record carries, besides its original headers.
const (
	PoisonReasonHeader    = "poison-reason"    // why it could not be processed
	PoisonTopicHeader     = "poison-topic"     // the topic it was read from
	PoisonPartitionHeader = "poison-partition" // its partition there, decimal
	PoisonOffsetHeader    = "poison-offset"    // its offset there, decimal
)

// poisonPartitions is the partition count of poison topics: they are small
// and read by people, in the order records were poisoned.
const poisonPartitions = 1

// Poison publishes rec, a record that can never be processed, to the poison
// topic of its topic (PoisonTopic), with its key, value and headers and the
// reason and its original position as headers. Poisoning a record read from
// a poison topic replaces its poison headers. The caller then commits past
// rec as if it had been processed.
func (p *Publisher) Poison(ctx context.Context, rec Record, reason string) error {
	headers := make([]kafka.Header, 0, len(rec.Headers)+4)
	for _, h := range rec.Headers {
		if !strings.HasPrefix(h.Key, "poison-") {
			headers = append(headers, h)
		}
	}
	headers = append(headers,
		kafka.Header{Key: PoisonReasonHeader, Value: []byte(reason)},
		kafka.Header{Key: PoisonTopicHeader, Value: []byte(rec.Topic)},
		kafka.Header{Key: PoisonPartitionHeader, Value: strconv.AppendInt(nil, int64(rec.Partition), 10)},
		kafka.Header{Key: PoisonOffsetHeader, Value: strconv.AppendInt(nil, rec.Offset, 10)},
	)
	topic := PoisonTopic(rec.Topic)
	km := kafka.Message{Topic: topic, Key: rec.Key, Value: rec.Value, Headers: headers}
	if err := p.write(ctx, topic, poisonPartitions, []kafka.Message{km}); err != nil {
		return fmt.Errorf("poisoning %s/%d/%d: %w", rec.Topic, rec.Partition, rec.Offset, err)
	}
	return nil
}

// PoisonMiddleware returns a Watermill handler middleware that moves a
// message whose handler failed with an error shouldPoison accepts to the
// poison topic of the topic it came from (see Poison), and acks it. Nil
// shouldPoison poisons every error; put a retry middleware before this one
// so that transient failures are retried first. Other errors pass through.
//
// The message's record comes from its context when a Subscriber delivered
// it; otherwise it is rebuilt from the message, with the topic the router
// subscribed to and no position.
func (p *Publisher) PoisonMiddleware(shouldPoison func(error) bool) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			out, err := h(msg)
			if err == nil || (shouldPoison != nil && !shouldPoison(err)) {
				return out, err
			}
			rec, ok := RecordFromContext(msg.Context())
			if !ok {
				rec = recordFromMessage(msg)
			}
			if rec.Topic == "" {
				return nil, errors.Join(err, errors.New("poisoning: the message's topic is unknown"))
			}
			if perr := p.Poison(msg.Context(), rec, err.Error()); perr != nil {
				return nil, errors.Join(err, perr)
			}
			return nil, nil
		}
	}
}

// recordFromMessage rebuilds the record of a message that was not delivered
// by a Subscriber; its position is unknown (-1).
func recordFromMessage(msg *message.Message) Record {
	km := toKafka(message.SubscribeTopicFromCtx(msg.Context()), msg)
	rec := recordOf(km)
	rec.Partition, rec.Offset = -1, -1
	return rec
}
