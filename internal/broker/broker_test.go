package broker_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/broker"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     broker.Config
		wantErr []string
	}{
		{name: "the zero value is valid", cfg: broker.Config{}},
		{name: "a data dir and a fixed port are valid", cfg: broker.Config{DataDir: "x", Port: 9092, Partitions: 3}},
		{name: "a port above 65535 is refused", cfg: broker.Config{Port: 70000}, wantErr: []string{"port 70000"}},
		{
			name:    "every problem is reported at once",
			cfg:     broker.Config{Port: -1, Partitions: -2},
			wantErr: []string{"port -1", "partitions -2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.wantErr) == 0 {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.ErrorContains(t, err, want)
			}
		})
	}
}

func TestRestartKeepsAcknowledgedRecordsAndOffsets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	const topic, group, partitions = "events", "projector", 3

	b, err := broker.Start(ctx, broker.Config{DataDir: dir})
	require.NoError(t, err)
	addr := b.Addrs()[0]
	createTopic(ctx, t, addr, topic, partitions)

	w := &kafka.Writer{
		Addr:         kafka.TCP(addr),
		Topic:        topic,
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchTimeout: time.Millisecond,
	}
	defer w.Close()
	require.NoError(t, w.WriteMessages(ctx, messages(0, 300)...))

	// A consumer group reads and commits a third of the records.
	consumed := consumeGroup(ctx, t, addr, topic, group, 100)

	require.NoError(t, b.Close())
	require.NoError(t, b.Close(), "Close is idempotent")

	b, err = broker.Start(ctx, broker.Config{DataDir: dir})
	require.NoError(t, err)
	defer b.Close()
	assert.Equal(t, addr, b.Addrs()[0], "a restart on the same data dir reuses the port")

	// The writer from before the restart reconnects by itself.
	require.NoError(t, w.WriteMessages(ctx, messages(300, 310)...))

	all := readAll(ctx, t, addr, topic, partitions)
	assert.Len(t, all, 310)
	assert.ElementsMatch(t, values(messages(0, 310)), values(all))

	// The group resumes after what it committed before the restart.
	rest := consumeGroup(ctx, t, addr, topic, group, 210)
	assert.ElementsMatch(t, values(messages(0, 310)), append(values(consumed), values(rest)...))
}

func TestDataDirIsExclusive(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := broker.Start(ctx, broker.Config{DataDir: dir})
	require.NoError(t, err)
	defer b.Close()

	_, err = broker.Start(ctx, broker.Config{DataDir: dir})
	assert.ErrorIs(t, err, broker.ErrDataDirInUse)
}

func TestStartOnBusyPortFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	_, err = broker.Start(context.Background(), broker.Config{Port: port})
	assert.ErrorContains(t, err, fmt.Sprintf("127.0.0.1:%d", port))
}

func TestRunClosesWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b, err := broker.Start(ctx, broker.Config{})
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	_, err = net.DialTimeout("tcp", b.Addrs()[0], time.Second)
	assert.Error(t, err, "the broker stopped listening")
}

func createTopic(ctx context.Context, t *testing.T, addr, topic string, partitions int) {
	t.Helper()
	c := &kafka.Client{Addr: kafka.TCP(addr)}
	resp, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{
		{Topic: topic, NumPartitions: partitions, ReplicationFactor: 1},
	}})
	require.NoError(t, err)
	require.NoError(t, resp.Errors[topic])
}

func messages(from, to int) []kafka.Message {
	var ms []kafka.Message
	for i := from; i < to; i++ {
		ms = append(ms, kafka.Message{Key: fmt.Appendf(nil, "k%d", i%100), Value: fmt.Appendf(nil, "v%d", i)})
	}
	return ms
}

func values(ms []kafka.Message) []string {
	vs := make([]string, len(ms))
	for i, m := range ms {
		vs[i] = string(m.Value)
	}
	return vs
}

// consumeGroup fetches n records as a member of group, committing each.
func consumeGroup(ctx context.Context, t *testing.T, addr, topic, group string, n int) []kafka.Message {
	t.Helper()
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: []string{addr}, GroupID: group, Topic: topic,
		MaxWait: 100 * time.Millisecond, HeartbeatInterval: 200 * time.Millisecond,
	})
	defer r.Close()
	var got []kafka.Message
	for len(got) < n {
		m, err := r.FetchMessage(ctx)
		require.NoError(t, err)
		require.NoError(t, r.CommitMessages(ctx, m))
		got = append(got, m)
	}
	return got
}

// readAll reads every partition of topic from its first to its last offset.
func readAll(ctx context.Context, t *testing.T, addr, topic string, partitions int) []kafka.Message {
	t.Helper()
	var all []kafka.Message
	for p := range partitions {
		conn, err := kafka.DialLeader(ctx, "tcp", addr, topic, p)
		require.NoError(t, err)
		last, err := conn.ReadLastOffset()
		require.NoError(t, err)
		require.NoError(t, conn.Close())

		r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{addr}, Topic: topic, Partition: p, MaxWait: 100 * time.Millisecond})
		for next := int64(0); next < last; {
			m, err := r.ReadMessage(ctx)
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("reading partition %d: only reached offset %d of %d", p, next, last)
			}
			require.NoError(t, err)
			require.Equal(t, next, m.Offset, "no gaps in partition %d", p)
			all = append(all, m)
			next = m.Offset + 1
		}
		require.NoError(t, r.Close())
	}
	return all
}
