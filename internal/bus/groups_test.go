package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
)

func TestGroupsStartAtAnOffsetOrATimeAndSetOffsets(t *testing.T) {
	ctx := context.Background()
	brokers, topic := testenv.Kafka(t), testenv.Topic(t)
	require.NoError(t, bus.EnsureTopic(ctx, brokers, topic, 2))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	transport := &kafka.Transport{}
	defer transport.CloseIdleConnections()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Transport: transport, Topic: topic, RequiredAcks: kafka.RequireAll,
		Balancer: kafka.BalancerFunc(func(kafka.Message, ...int) int { return 0 })}
	var msgs []kafka.Message
	for i := range 3 {
		msgs = append(msgs, kafka.Message{Value: []byte{byte(i)}, Time: t0.Add(time.Duration(i) * time.Hour)})
	}
	require.NoError(t, w.WriteMessages(ctx, msgs...))
	require.NoError(t, w.Close())

	a := bus.NewGroups(brokers, topic)
	defer a.Close()
	for _, c := range []struct {
		name   string
		offset int64
		at     time.Time
		want   map[int]int64
	}{
		{"offset zero is the start of every partition", 0, time.Time{}, map[int]int64{0: 0, 1: 0}},
		{"an offset is taken on every partition, within what it holds", 2, time.Time{}, map[int]int64{0: 2, 1: 0}},
		{"an offset past the end is the end", 10, time.Time{}, map[int]int64{0: 3, 1: 0}},
		{"a time is the first record written at or after it", -1, t0.Add(30 * time.Minute), map[int]int64{0: 1, 1: 0}},
		{"a time after every record is the end", -1, t0.Add(5 * time.Hour), map[int]int64{0: 3, 1: 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := a.StartOffsets(ctx, c.offset, c.at)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}

	group := "repodelta-test-" + topic
	require.NoError(t, a.Commit(ctx, group, map[int]int64{0: 2, 1: 0}))
	got, err := a.Committed(ctx, group)
	require.NoError(t, err)
	assert.Equal(t, map[int]int64{0: 2, 1: 0}, got)
	n, err := a.Members(ctx, group)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, a.Remove(ctx, group))
	got, err = a.Committed(ctx, group)
	require.NoError(t, err)
	assert.Empty(t, got, "a removed group has no offsets")
	require.NoError(t, a.Remove(ctx, group), "removing twice is no error")
}
