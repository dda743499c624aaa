package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// Groups reads and sets consumer groups' committed offsets on one topic,
// for tools that move a group by hand (a rebuild handing its position to
// the live group). Setting offsets works only while the group has no
// member: the commit is a "simple" one, generation -1. Close releases its
// connections.
type Groups struct {
	client    *kafka.Client
	transport *kafka.Transport
	topic     string
}

// NewGroups returns the group administration of topic on brokers.
func NewGroups(brokers []string, topic string) *Groups {
	t := newTransport()
	return &Groups{client: &kafka.Client{Addr: kafka.TCP(brokers...), Transport: t}, transport: t, topic: topic}
}

// Close releases the connections.
func (g *Groups) Close() { g.transport.CloseIdleConnections() }

// StartOffsets returns, per partition, where a reader starts: the first
// offset; or offset (clamped to the partition's range) when offset >= 0;
// or the first record at or after at when at is set.
func (g *Groups) StartOffsets(ctx context.Context, offset int64, at time.Time) (map[int]int64, error) {
	parts, err := partitionsOf(ctx, g.client, g.topic)
	if err != nil {
		return nil, fmt.Errorf("listing partitions of %s: %w", g.topic, err)
	}
	reqs := make([]kafka.OffsetRequest, 0, 3*len(parts))
	for _, p := range parts {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
		if !at.IsZero() {
			reqs = append(reqs, kafka.TimeOffsetOf(p, at))
		}
	}
	resp, err := g.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{g.topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("listing offsets of %s: %w", g.topic, err)
	}
	out := make(map[int]int64, len(parts))
	for _, p := range resp.Topics[g.topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("listing offsets of %s partition %d: %w", g.topic, p.Partition, p.Error)
		}
		start := p.FirstOffset
		switch {
		case offset >= 0:
			start = min(max(offset, p.FirstOffset), p.LastOffset)
		case !at.IsZero():
			start = p.LastOffset // no record that late
			for off := range p.Offsets {
				if off >= 0 {
					start = max(off, p.FirstOffset)
				}
			}
		}
		out[p.Partition] = start
	}
	return out, nil
}

// Committed returns group's committed offsets; partitions where it
// committed nothing, or all of them for a group that does not exist, are
// left out.
func (g *Groups) Committed(ctx context.Context, group string) (map[int]int64, error) {
	parts, err := partitionsOf(ctx, g.client, g.topic)
	if err != nil {
		return nil, fmt.Errorf("reading committed offsets of group %s: %w", group, err)
	}
	offsets, err := committedOffsets(ctx, g.client, group, g.topic, parts)
	if err != nil {
		return nil, fmt.Errorf("reading committed offsets of group %s: %w", group, err)
	}
	for p, off := range offsets {
		if off < 0 {
			delete(offsets, p)
		}
	}
	return offsets, nil
}

// Commit sets group's committed offsets; the group must have no member.
func (g *Groups) Commit(ctx context.Context, group string, offsets map[int]int64) error {
	commits := make([]kafka.OffsetCommit, 0, len(offsets))
	for p, off := range offsets {
		commits = append(commits, kafka.OffsetCommit{Partition: p, Offset: off})
	}
	resp, err := g.client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1,
		Topics: map[string][]kafka.OffsetCommit{g.topic: commits}})
	if err != nil {
		return fmt.Errorf("committing offsets of group %s: %w", group, err)
	}
	var errs []error
	for _, p := range resp.Topics[g.topic] {
		if p.Error != nil {
			errs = append(errs, fmt.Errorf("committing offset of group %s partition %d: %w", group, p.Partition, p.Error))
		}
	}
	return errors.Join(errs...)
}

// Members returns how many members group has (none for a group that does
// not exist).
func (g *Groups) Members(ctx context.Context, group string) (int, error) {
	resp, err := g.client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return 0, fmt.Errorf("describing group %s: %w", group, err)
	}
	n := 0
	for _, d := range resp.Groups {
		if d.Error != nil && !errors.Is(d.Error, kafka.GroupIdNotFound) {
			return 0, fmt.Errorf("describing group %s: %w", group, d.Error)
		}
		n += len(d.Members)
	}
	return n, nil
}

// Remove deletes group with its committed offsets; a group that does not
// exist is no error.
func (g *Groups) Remove(ctx context.Context, group string) error {
	resp, err := g.client.DeleteGroups(ctx, &kafka.DeleteGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return fmt.Errorf("deleting group %s: %w", group, err)
	}
	if err := resp.Errors[group]; err != nil && !errors.Is(err, kafka.GroupIdNotFound) {
		return fmt.Errorf("deleting group %s: %w", group, err)
	}
	return nil
}
