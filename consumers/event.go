package consumers

import "github.com/repodelta/repodelta/events"

// Event is one decoded event with its place in the log.
type Event struct {
	*events.Envelope
	// Partition and Offset are where the event was read. For a snapshot
	// marker the producer writes one copy per partition, so Partition is
	// also Marker.Partition.
	Partition int
	Offset    int64
}
