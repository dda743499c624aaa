package consumers_test

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/packages"
)

func TestControlStatesAreTheNewestWritten(t *testing.T) {
	conn, db := projectortest.Database(t)
	ctx := context.Background()
	ctl := consumers.NewControl(db)
	state, _, err := ctl.State(ctx, conn, "p")
	require.NoError(t, err)
	assert.Empty(t, state, "nothing written: no state")

	require.NoError(t, ctl.Request(ctx, conn, "p"))
	swapping, err := ctl.Swapping(ctx, conn, "p")
	require.NoError(t, err)
	assert.True(t, swapping)
	require.NoError(t, ctl.Done(ctx, conn, "p"))
	swapping, err = ctl.Swapping(ctx, conn, "p")
	require.NoError(t, err)
	assert.False(t, swapping)

	require.NoError(t, conn.Exec(ctx, "INSERT INTO "+db+".projector_control (projector, state, requested, heartbeat, version)"+
		" SELECT 'q', 'swapping', now() - 120, now() - 120, toUInt64(1)"))
	swapping, err = ctl.Swapping(ctx, conn, "q")
	require.NoError(t, err)
	assert.False(t, swapping, "a request whose heartbeat is stale is not waited for")
}

func TestAProjectorStepsOutOfItsGroupWhileASwapIsRequested(t *testing.T) {
	w := newWorld(t)
	conn, db := projectortest.Database(t)
	name := projectionName(t)
	ctl := consumers.NewControl(db)
	cfg := w.config()
	cfg.Once = false
	cfg.Control = ctl
	proj := newProjector(t, packages.NewNamed(db, name), conn, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- proj.Run(ctx) }()

	eventually(t, "the projector catches up", func() bool { return w.lag(t, name) == 0 })
	eventually(t, "the projector is in its group", func() bool { return members(t, w.brokers, consumers.Group(name)) > 0 })
	require.NoError(t, ctl.Request(context.Background(), conn, name))
	eventually(t, "an idle projector leaves its group on a request", func() bool { return members(t, w.brokers, consumers.Group(name)) == 0 })
	time.Sleep(2 * time.Second)
	assert.Zero(t, members(t, w.brokers, consumers.Group(name)), "it stays out while the swap is requested")

	require.NoError(t, ctl.Done(context.Background(), conn, name))
	eventually(t, "the projector rejoins once the swap is done", func() bool { return members(t, w.brokers, consumers.Group(name)) > 0 })
	cancel()
	require.NoError(t, <-ran)
	projectortest.AssertSameDump(t, w.want, dump(t, conn, db))
}

// eventually waits up to 30 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		require.True(t, time.Now().Before(deadline), what)
	}
}

// members counts the members of group.
func members(t *testing.T, brokers []string, group string) int {
	t.Helper()
	transport := &kafka.Transport{}
	defer transport.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: transport}
	resp, err := c.DescribeGroups(context.Background(), &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	require.NoError(t, err)
	n := 0
	for _, g := range resp.Groups {
		n += len(g.Members)
	}
	return n
}
