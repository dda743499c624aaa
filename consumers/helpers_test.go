package consumers_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/testenv"
	"github.com/repodelta/repodelta/projections/packages"
)

// surface is what the runtime tests compare: the packages projection's
// views (its watermarks are keyed by projector name, which differs).
var surface = []projectortest.Query{
	{Name: "packages", SQL: "SELECT * FROM {{db}}.packages ORDER BY repository_id, key"},
	{Name: "package_history", SQL: "SELECT * FROM {{db}}.package_history ORDER BY repository_id, sequence, key"},
}

// world is one runtime test's services: a topic holding a story, and the
// rows the story should project to.
type world struct {
	brokers []string
	topic   string
	story   *projectortest.Story
	want    projectortest.Dump
	records int64 // records in the topic
}

var corpusOnce = sync.OnceValues(func() (*projectortest.Story, error) {
	return projectortest.CorpusStory(context.Background(), 21, 0.01)
})

// newWorld publishes the corpus story (after the extra records) to a new
// topic of its own and computes the expected rows by applying the story
// directly.
func newWorld(t *testing.T, extra ...kafka.Message) *world {
	t.Helper()
	story, err := corpusOnce()
	require.NoError(t, err)
	w := &world{brokers: testenv.Kafka(t), topic: testenv.Topic(t), story: story, want: wantOnce(t, story)}
	w.publish(t, extra)
	return w
}

var (
	wantMu sync.Mutex
	want   projectortest.Dump
)

// wantOnce returns the rows the corpus story projects to, computed once
// by applying it directly.
func wantOnce(t *testing.T, story *projectortest.Story) projectortest.Dump {
	t.Helper()
	wantMu.Lock()
	defer wantMu.Unlock()
	if want == nil {
		conn, db := projectortest.Database(t)
		p := packages.New(db)
		for _, b := range projectortest.Batches(story.All(), 2000) {
			require.NoError(t, p.Apply(context.Background(), conn, b))
		}
		want = dump(t, conn, db)
	}
	return want
}

// publish writes extra, then every partition of the story's log in order,
// each record to the partition the log placed it on.
func (w *world) publish(t testing.TB, extra []kafka.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := w.story.Log
	require.NoError(t, bus.EnsureTopic(ctx, w.brokers, w.topic, log.Partitions()))
	msgs := append([]kafka.Message(nil), extra...)
	for p := range log.Partitions() {
		for _, e := range log.Partition(p) {
			b, err := events.Encode(e.Envelope)
			require.NoError(t, err)
			msgs = append(msgs, kafka.Message{Partition: p, Key: []byte(e.Project), Value: b})
		}
	}
	transport := &kafka.Transport{} // its own metadata cache: the shared one may predate the topic
	defer transport.CloseIdleConnections()
	writer := &kafka.Writer{
		Addr:         kafka.TCP(w.brokers...),
		Transport:    transport,
		Topic:        w.topic,
		Balancer:     kafka.BalancerFunc(func(m kafka.Message, _ ...int) int { return m.Partition }),
		RequiredAcks: kafka.RequireAll,
		BatchSize:    1000,
		BatchTimeout: time.Millisecond,
	}
	defer func() { require.NoError(t, writer.Close()) }()
	require.NoError(t, writer.WriteMessages(ctx, msgs...))
	w.records = int64(len(msgs))
}

// config is a projector configuration that reacts fast, for tests.
func (w *world) config() consumers.Config {
	return consumers.Config{
		Consumer: bus.ConsumerConfig{
			Brokers:           w.brokers,
			HeartbeatInterval: 100 * time.Millisecond,
			FetchMaxWait:      500 * time.Millisecond,
			AssumeTopicsExist: true,
		},
		Topic:      w.topic,
		BatchSize:  500,
		MaxWait:    100 * time.Millisecond,
		MinBackoff: 10 * time.Millisecond,
		MaxBackoff: 100 * time.Millisecond,
		Once:       true,
		IdleWait:   500 * time.Millisecond,
		Logger:     slog.New(slog.DiscardHandler),
	}
}

// lag returns how many records the group of the projection named name
// has not committed.
func (w *world) lag(t *testing.T, name string) int64 {
	t.Helper()
	lag, err := bus.Lag(context.Background(), w.brokers, consumers.Group(name), w.topic)
	require.NoError(t, err)
	var total int64
	for _, n := range lag {
		total += n
	}
	return total
}

func newProjector(t testing.TB, p consumers.Projection, conn driver.Conn, cfg consumers.Config) *consumers.Projector {
	t.Helper()
	proj, err := consumers.NewProjector(context.Background(), p, conn, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, proj.Close()) })
	return proj
}

// run runs proj to its end, failing the test if that takes too long.
func run(t testing.TB, proj *consumers.Projector) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	err := proj.Run(ctx)
	require.NoError(t, ctx.Err(), "the projector did not finish in time")
	return err
}

func dump(t *testing.T, conn driver.Conn, db string) projectortest.Dump {
	t.Helper()
	d, err := projectortest.DumpSurface(context.Background(), conn, db, surface)
	require.NoError(t, err)
	return d
}

// projectionName returns a projection name, hence a consumer group, that
// no other test uses.
func projectionName(t *testing.T) string {
	return "packages-" + testenv.Topic(t)
}
