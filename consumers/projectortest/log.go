package projectortest

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
)

// Log stands for the events topic. It places events on partitions as the
// producer does — a package event on the partition of its project, a
// snapshot marker copied to every partition — numbers them with offsets,
// and hands them out as a consumer fetching several partitions sees them:
// each partition in order, the partitions interleaved in runs. Every event
// goes through events.Encode and events.Decode, as on the wire.
type Log struct {
	parts [][]consumers.Event
	rng   *rand.Rand
}

// NewLog returns an empty log of n partitions whose interleavings and
// duplicates follow seed.
func NewLog(partitions int, seed uint64) *Log {
	return &Log{parts: make([][]consumers.Event, partitions), rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Partitions returns the number of partitions.
func (l *Log) Partitions() int { return len(l.parts) }

// Partition returns the events of partition p, in offset order.
func (l *Log) Partition(p int) []consumers.Event { return l.parts[p] }

// PartitionOf returns the partition of a project's events.
func PartitionOf(project string, partitions int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(project))
	return int(h.Sum32() % uint32(partitions))
}

// Publication says how a snapshot's events reach the log.
type Publication struct {
	// CommitOn lists the partitions its commit marker reaches; nil means
	// every partition. A producer that dies while publishing the commit
	// markers leaves some out: the snapshot is aborted.
	CommitOn []int
	// Duplicates is the chance (0..1) that a record is followed by a
	// repetition of the last one to three records of its partition, as a
	// retried produce writes them.
	Duplicates float64
}

// Publish appends a snapshot's events and returns what it appended,
// interleaved as a consumer would fetch it.
func (l *Log) Publish(envs []*events.Envelope, pub Publication) ([]consumers.Event, error) {
	from := make([]int, len(l.parts))
	for p := range l.parts {
		from[p] = len(l.parts[p])
	}
	for _, e := range envs {
		for _, p := range l.partitionsOf(e, pub) {
			if err := l.append(p, e, pub.Duplicates); err != nil {
				return nil, err
			}
		}
	}
	return l.interleave(from), nil
}

func (l *Log) partitionsOf(e *events.Envelope, pub Publication) []int {
	switch {
	case !e.Type.IsMarker():
		return []int{PartitionOf(e.Project, len(l.parts))}
	case e.Type == events.SnapshotCommitted && pub.CommitOn != nil:
		return pub.CommitOn
	}
	all := make([]int, len(l.parts))
	for p := range all {
		all[p] = p
	}
	return all
}

// append writes e to partition p through the wire format, then maybe a
// duplicated run.
func (l *Log) append(p int, e *events.Envelope, dupChance float64) error {
	if e.Type.IsMarker() {
		copied, m := *e, *e.Marker
		m.Partition, m.Partitions = int32(p), int32(len(l.parts))
		copied.Marker = &m
		e = &copied
	}
	b, err := events.Encode(e)
	if err != nil {
		return err
	}
	decoded, err := events.Decode(b)
	if err != nil {
		return fmt.Errorf("decoding what was encoded: %w", err)
	}
	l.write(p, decoded)
	if dupChance > 0 && l.rng.Float64() < dupChance {
		part := l.parts[p]
		run := part[max(0, len(part)-1-l.rng.IntN(3)):]
		for _, d := range run {
			l.write(p, d.Envelope)
		}
	}
	return nil
}

func (l *Log) write(p int, e *events.Envelope) {
	l.parts[p] = append(l.parts[p], consumers.Event{Envelope: e, Partition: p, Offset: int64(len(l.parts[p]))})
}

// interleave merges the partitions' events from the given offsets on:
// runs of 1 to 64 events of a random partition at a time.
func (l *Log) interleave(from []int) []consumers.Event {
	next := append([]int(nil), from...)
	var out []consumers.Event
	for {
		var open []int
		for p := range l.parts {
			if next[p] < len(l.parts[p]) {
				open = append(open, p)
			}
		}
		if len(open) == 0 {
			return out
		}
		p := open[l.rng.IntN(len(open))]
		end := min(len(l.parts[p]), next[p]+1+l.rng.IntN(64))
		out = append(out, l.parts[p][next[p]:end]...)
		next[p] = end
	}
}

// Batches cuts evs into batches of at most size events.
func Batches(evs []consumers.Event, size int) [][]consumers.Event {
	var out [][]consumers.Event
	for len(evs) > 0 {
		n := min(size, len(evs))
		out = append(out, evs[:n:n])
		evs = evs[n:]
	}
	return out
}
