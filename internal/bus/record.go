package bus

import (
	"context"
	"time"

	"github.com/segmentio/kafka-go"
)

// Header is a Kafka record header. It is kafka-go's type, so records pass
// through without copying.
type Header = kafka.Header

// Record is one Kafka record as a consumer received it.
type Record struct {
	Topic     string
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   []Header
	// Time is the record's timestamp (the producer's, unless the topic
	// uses log append time).
	Time time.Time
}

// Header returns the value of the last header named key, and whether there
// is one.
func (r Record) Header(key string) ([]byte, bool) {
	for i := len(r.Headers) - 1; i >= 0; i-- {
		if r.Headers[i].Key == key {
			return r.Headers[i].Value, true
		}
	}
	return nil, false
}

// Batch is the records one Fetch returned, in the order they were fetched:
// records of one partition are in offset order.
type Batch []Record

func recordOf(m kafka.Message) Record {
	return Record{
		Topic:     m.Topic,
		Partition: m.Partition,
		Offset:    m.Offset,
		Key:       m.Key,
		Value:     m.Value,
		Headers:   m.Headers,
		Time:      m.Time,
	}
}

type recordKey struct{}

// RecordFromContext returns the record a Subscriber's message was made
// from, given the message's context (msg.Context()).
func RecordFromContext(ctx context.Context) (Record, bool) {
	r, ok := ctx.Value(recordKey{}).(Record)
	return r, ok
}

func withRecord(ctx context.Context, r Record) context.Context {
	return context.WithValue(ctx, recordKey{}, r)
}
