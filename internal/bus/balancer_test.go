package bus

import (
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
)

func TestPartitionMetadataSendsToThatPartition(t *testing.T) {
	b := &explicitOrMurmur2{}
	parts := []int{0, 1, 2, 3}
	msg := kafka.Message{Key: []byte("zlib"), Headers: []kafka.Header{{Key: PartitionMetadata, Value: []byte("3")}}}
	assert.Equal(t, 3, b.Balance(msg, parts...))
	byKey := b.Balance(kafka.Message{Key: []byte("zlib")}, parts...)
	msg.Headers[0].Value = []byte("9") // no such partition: by key
	assert.Equal(t, byKey, b.Balance(msg, parts...))
}
