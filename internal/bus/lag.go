package bus

import (
	"context"
	"errors"
	"fmt"

	"github.com/segmentio/kafka-go"
)

// Lag returns, for each partition of topic, how many records group has yet
// to consume: the partition's end offset minus the group's committed offset.
// A partition where the group has committed nothing counts from its first
// offset, where the group will start. kafka-go's consumer group reports no
// lag, hence this.
func Lag(ctx context.Context, brokers []string, group, topic string) (map[int]int64, error) {
	if len(brokers) == 0 {
		return nil, fmt.Errorf("reading lag of group %s on %s: no brokers", group, topic)
	}
	t := newTransport()
	defer t.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: t}

	partitions, err := partitionsOf(ctx, c, topic)
	if err != nil {
		return nil, fmt.Errorf("reading lag of group %s on %s: %w", group, topic, err)
	}
	committed, err := committedOffsets(ctx, c, group, topic, partitions)
	if err != nil {
		return nil, fmt.Errorf("reading lag of group %s on %s: %w", group, topic, err)
	}
	first, end, err := offsetRange(ctx, c, topic, partitions)
	if err != nil {
		return nil, fmt.Errorf("reading lag of group %s on %s: %w", group, topic, err)
	}
	lag := make(map[int]int64, len(partitions))
	for _, p := range partitions {
		from, ok := committed[p]
		if !ok || from < 0 {
			from = first[p]
		}
		lag[p] = max(end[p]-from, 0)
	}
	return lag, nil
}

func partitionsOf(ctx context.Context, c *kafka.Client, topic string) ([]int, error) {
	meta, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("reading metadata: %w", err)
	}
	for _, t := range meta.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("reading metadata: %w", t.Error)
		}
		ps := make([]int, len(t.Partitions))
		for i, p := range t.Partitions {
			ps[i] = p.ID
		}
		return ps, nil
	}
	return nil, fmt.Errorf("reading metadata: %w", kafka.UnknownTopicOrPartition)
}

// committedOffsets returns the group's committed offset per partition (-1
// where it committed nothing). A group the broker does not know yet (its
// first member is still joining; kfake then answers GROUP_ID_NOT_FOUND)
// has committed nothing.
func committedOffsets(ctx context.Context, c *kafka.Client, group, topic string, partitions []int) (map[int]int64, error) {
	resp, err := c.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: partitions}})
	if err == nil {
		err = resp.Error
	}
	if errors.Is(err, kafka.GroupIdNotFound) {
		return map[int]int64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fetching committed offsets: %w", err)
	}
	offsets := make(map[int]int64, len(partitions))
	for _, p := range resp.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("fetching committed offset of partition %d: %w", p.Partition, p.Error)
		}
		offsets[p.Partition] = p.CommittedOffset
	}
	return offsets, nil
}

// offsetRange returns the first and the end (next to be written) offset of
// each partition.
func offsetRange(ctx context.Context, c *kafka.Client, topic string, partitions []int) (first, end map[int]int64, err error) {
	reqs := make([]kafka.OffsetRequest, 0, 2*len(partitions))
	for _, p := range partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
	}
	resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, nil, fmt.Errorf("listing offsets: %w", err)
	}
	first, end = make(map[int]int64, len(partitions)), make(map[int]int64, len(partitions))
	var errs []error
	for _, p := range resp.Topics[topic] {
		if p.Error != nil {
			errs = append(errs, fmt.Errorf("listing offsets of partition %d: %w", p.Partition, p.Error))
			continue
		}
		first[p.Partition], end[p.Partition] = p.FirstOffset, p.LastOffset
	}
	if len(end) != len(partitions) && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("listing offsets: %d of %d partitions answered", len(end), len(partitions)))
	}
	return first, end, errors.Join(errs...)
}
