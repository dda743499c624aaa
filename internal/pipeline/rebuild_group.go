package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// groupAdmin reads and sets consumer groups' committed offsets on one
// topic. Setting offsets is only possible while the group has no member
// (a "simple" commit, generation -1), which is what the rebuild waits for.
type groupAdmin struct {
	client    *kafka.Client
	transport *kafka.Transport
	topic     string
}

func newGroupAdmin(brokers []string, topic string) *groupAdmin {
	t := &kafka.Transport{ClientID: "repodelta-rebuild", DialTimeout: 10 * time.Second}
	return &groupAdmin{client: &kafka.Client{Addr: kafka.TCP(brokers...), Transport: t}, transport: t, topic: topic}
}

func (a *groupAdmin) close() { a.transport.CloseIdleConnections() }

// partitions lists the topic's partitions.
func (a *groupAdmin) partitions(ctx context.Context) ([]int, error) {
	meta, err := a.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{a.topic}})
	if err != nil {
		return nil, fmt.Errorf("reading metadata of %s: %w", a.topic, err)
	}
	for _, t := range meta.Topics {
		if t.Name == a.topic && t.Error == nil {
			ps := make([]int, len(t.Partitions))
			for i, p := range t.Partitions {
				ps[i] = p.ID
			}
			return ps, nil
		}
	}
	return nil, fmt.Errorf("reading metadata of %s: %w", a.topic, kafka.UnknownTopicOrPartition)
}

// startOffsets returns, per partition, where a rebuild starts: the first
// offset; or offset (clamped to the partition's range) when offset >= 0;
// or the first record at or after at when at is set.
func (a *groupAdmin) startOffsets(ctx context.Context, offset int64, at time.Time) (map[int]int64, error) {
	parts, err := a.partitions(ctx)
	if err != nil {
		return nil, err
	}
	reqs := make([]kafka.OffsetRequest, 0, 3*len(parts))
	for _, p := range parts {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
		if !at.IsZero() {
			reqs = append(reqs, kafka.TimeOffsetOf(p, at))
		}
	}
	resp, err := a.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{a.topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("listing offsets of %s: %w", a.topic, err)
	}
	out := make(map[int]int64, len(parts))
	for _, p := range resp.Topics[a.topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("listing offsets of %s partition %d: %w", a.topic, p.Partition, p.Error)
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

// committed returns group's committed offsets (partitions where it
// committed nothing, or all of them for a group that does not exist, are
// left out).
func (a *groupAdmin) committed(ctx context.Context, group string) (map[int]int64, error) {
	parts, err := a.partitions(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := a.client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{a.topic: parts}})
	if err == nil {
		err = resp.Error
	}
	out := make(map[int]int64, len(parts))
	if errors.Is(err, kafka.GroupIdNotFound) {
		return out, nil // a deleted group (kfake says so; Kafka answers -1s)
	}
	if err != nil {
		return nil, fmt.Errorf("fetching committed offsets of group %s: %w", group, err)
	}
	for _, p := range resp.Topics[a.topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("fetching committed offset of group %s partition %d: %w", group, p.Partition, p.Error)
		}
		if p.CommittedOffset >= 0 {
			out[p.Partition] = p.CommittedOffset
		}
	}
	return out, nil
}

// commit sets group's committed offsets; the group must have no member.
func (a *groupAdmin) commit(ctx context.Context, group string, offsets map[int]int64) error {
	commits := make([]kafka.OffsetCommit, 0, len(offsets))
	for p, off := range offsets {
		commits = append(commits, kafka.OffsetCommit{Partition: p, Offset: off})
	}
	resp, err := a.client.OffsetCommit(ctx, &kafka.OffsetCommitRequest{GroupID: group, GenerationID: -1,
		Topics: map[string][]kafka.OffsetCommit{a.topic: commits}})
	if err != nil {
		return fmt.Errorf("committing offsets of group %s: %w", group, err)
	}
	var errs []error
	for _, p := range resp.Topics[a.topic] {
		if p.Error != nil {
			errs = append(errs, fmt.Errorf("committing offset of group %s partition %d: %w", group, p.Partition, p.Error))
		}
	}
	return errors.Join(errs...)
}

// members returns how many members group has.
func (a *groupAdmin) members(ctx context.Context, group string) (int, error) {
	resp, err := a.client.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return 0, fmt.Errorf("describing group %s: %w", group, err)
	}
	n := 0
	for _, g := range resp.Groups {
		if g.Error != nil && !errors.Is(g.Error, kafka.GroupIdNotFound) {
			return 0, fmt.Errorf("describing group %s: %w", group, g.Error)
		}
		n += len(g.Members)
	}
	return n, nil
}

// waitEmpty waits until group has no member, logging every so often who
// is still there.
func (a *groupAdmin) waitEmpty(ctx context.Context, o Options, group string) error {
	nextLog := time.Now().Add(5 * time.Second)
	for {
		n, err := a.members(ctx, group)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(nextLog) {
			o.logger().InfoContext(ctx, "waiting for the live projectors to leave their group", "group", group, "members", n)
			nextLog = time.Now().Add(30 * time.Second)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// remove deletes group (its committed offsets); a group that does not
// exist is no error.
func (a *groupAdmin) remove(ctx context.Context, group string) error {
	resp, err := a.client.DeleteGroups(ctx, &kafka.DeleteGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return fmt.Errorf("deleting group %s: %w", group, err)
	}
	if err := resp.Errors[group]; err != nil && !errors.Is(err, kafka.GroupIdNotFound) {
		return fmt.Errorf("deleting group %s: %w", group, err)
	}
	return nil
}
