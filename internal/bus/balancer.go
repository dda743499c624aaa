package bus

import (
	"strconv"

	"github.com/segmentio/kafka-go"
)

// PartitionMetadata is the metadata entry (and so the header) of a
// Watermill message that sends it to an explicit partition, for records
// that must reach every partition, such as snapshot markers. A message
// without it goes to the murmur2 hash of its key, as the Java client does.
const PartitionMetadata = "partition"

// explicitOrMurmur2 is the publisher's balancer: PartitionMetadata when the
// message carries it (and the partition exists), murmur2 of the key
// otherwise.
type explicitOrMurmur2 struct{ kafka.Murmur2Balancer }

func (b *explicitOrMurmur2) Balance(msg kafka.Message, partitions ...int) int {
	for _, h := range msg.Headers {
		if h.Key != PartitionMetadata {
			continue
		}
		if p, err := strconv.Atoi(string(h.Value)); err == nil {
			for _, q := range partitions {
				if q == p {
					return p
				}
			}
		}
	}
	return b.Murmur2Balancer.Balance(msg, partitions...)
}
