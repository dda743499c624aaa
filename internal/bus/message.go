package bus

import (
	"strconv"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/segmentio/kafka-go"
)

const (
	// KeyMetadata is the metadata entry of a Watermill message that holds
	// its Kafka key. A message without it has no key and goes to a random
	// partition. A consumed message carries its record's key there.
	KeyMetadata = "key"

	// UUIDHeader is the header that carries a Watermill message's UUID. It
	// is the name Watermill's own Kafka backend uses, so either can read
	// what the other wrote.
	UUIDHeader = "_watermill_message_uuid"
)

// toKafka converts msg to a record for topic: the key from KeyMetadata, the
// UUID and every other metadata entry as headers.
func toKafka(topic string, msg *message.Message) kafka.Message {
	km := kafka.Message{
		Topic:   topic,
		Value:   msg.Payload,
		Headers: make([]kafka.Header, 0, len(msg.Metadata)+1),
	}
	km.Headers = append(km.Headers, kafka.Header{Key: UUIDHeader, Value: []byte(msg.UUID)})
	for k, v := range msg.Metadata {
		if k == KeyMetadata {
			km.Key = []byte(v)
			continue
		}
		km.Headers = append(km.Headers, kafka.Header{Key: k, Value: []byte(v)})
	}
	return km
}

// fromKafka converts a record back to a Watermill message. A record written
// without a UUID header (by another producer) gets its position as UUID:
// "topic/partition/offset", which is stable across re-deliveries.
func fromKafka(r Record) *message.Message {
	msg := message.NewMessage("", r.Value)
	for _, h := range r.Headers {
		if h.Key == UUIDHeader {
			msg.UUID = string(h.Value)
			continue
		}
		msg.Metadata.Set(h.Key, string(h.Value))
	}
	if r.Key != nil {
		msg.Metadata.Set(KeyMetadata, string(r.Key))
	}
	if msg.UUID == "" {
		msg.UUID = r.Topic + "/" + strconv.Itoa(r.Partition) + "/" + strconv.FormatInt(r.Offset, 10)
	}
	return msg
}
