package chserver_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/chserver"
	"github.com/repodelta/repodelta/internal/testenv"
)

// start starts a server in a fresh directory, closed when the test ends.
func start(t *testing.T, cfg chserver.Config) *chserver.Server {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := chserver.Start(ctx, cfg)
	if errors.Is(err, chserver.ErrBinaryMissing) {
		testenv.Unavailable(t, "clickhouse", err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Close()) })
	return srv
}

func open(t *testing.T, addr string) driver.Conn {
	t.Helper()
	conn, err := chdb.Open(context.Background(), chdb.Options{Addr: addr})
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func count(t *testing.T, conn driver.Conn, query string) uint64 {
	t.Helper()
	var n uint64
	require.NoError(t, conn.QueryRow(context.Background(), query).Scan(&n))
	return n
}

func TestServerKeepsDataAcrossStopRestartAndNewStart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	srv := start(t, chserver.Config{DataDir: dir})
	addr := srv.Addr()
	assert.Equal(t, dir, srv.DataDir())
	assert.NotZero(t, srv.Pid())

	conn := open(t, addr)
	require.NoError(t, conn.Exec(ctx, "CREATE DATABASE kept"))
	require.NoError(t, conn.Exec(ctx, "CREATE TABLE kept.t (n UInt64) ENGINE = MergeTree ORDER BY n"))
	require.NoError(t, conn.Exec(ctx, "INSERT INTO kept.t (n) SELECT number FROM system.numbers LIMIT 10"))

	require.NoError(t, srv.Stop())
	assert.Zero(t, srv.Pid())
	_, err := net.DialTimeout("tcp", addr, time.Second)
	require.Error(t, err, "the native port answers after Stop")
	require.NoError(t, srv.Stop(), "stopping a stopped server")

	require.NoError(t, srv.Restart(ctx))
	assert.Equal(t, addr, srv.Addr(), "Restart keeps the port")
	assert.Equal(t, uint64(10), count(t, open(t, addr), "SELECT count() FROM kept.t"))

	require.NoError(t, srv.Restart(ctx), "restarting a running server")
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "Close is idempotent")
	require.ErrorIs(t, srv.Restart(ctx), chserver.ErrClosed)

	again := start(t, chserver.Config{DataDir: dir})
	assert.Equal(t, uint64(10), count(t, open(t, again.Addr()), "SELECT count() FROM kept.t"))
}

func TestStartWithoutBinaryIsErrBinaryMissing(t *testing.T) {
	_, err := chserver.Start(context.Background(), chserver.Config{
		DataDir: t.TempDir(),
		Binary:  filepath.Join(t.TempDir(), "clickhouse-server"),
	})
	require.ErrorIs(t, err, chserver.ErrBinaryMissing)
	assert.Contains(t, err.Error(), "apt-get install clickhouse-server")
}

func TestStartOnTakenPortQuotesTheServerLog(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := chserver.Start(ctx, chserver.Config{
		DataDir:      t.TempDir(),
		TCPPort:      taken.Addr().(*net.TCPAddr).Port,
		StartTimeout: 20 * time.Second,
	})
	if errors.Is(err, chserver.ErrBinaryMissing) {
		testenv.Unavailable(t, "clickhouse", err)
	}
	if err == nil {
		_ = srv.Close()
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Address already in use")
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     chserver.Config
		wantErr []string
	}{
		{"a data directory alone is enough", chserver.Config{DataDir: "x"}, nil},
		{"a missing data directory is reported", chserver.Config{}, []string{"DataDir is required"}},
		{"every problem is reported at once",
			chserver.Config{TCPPort: 70000, StartTimeout: -time.Second},
			[]string{"DataDir is required", "TCPPort 70000", "StartTimeout -1s"}},
		{"one port for both protocols is refused",
			chserver.Config{DataDir: "x", TCPPort: 9000, HTTPPort: 9000},
			[]string{"TCPPort and HTTPPort are both 9000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestPoolErrorsAreRetryableWhileStoppedAndRecoverAfterRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := start(t, chserver.Config{})
	conn, err := chdb.Open(ctx, chdb.Options{Addr: srv.Addr(), DialTimeout: time.Second})
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Exec(ctx, "CREATE TABLE default.kept (n UInt64) ENGINE = MergeTree ORDER BY n"))
	require.NoError(t, conn.Exec(ctx, "INSERT INTO default.kept (n) SELECT 7"))

	require.NoError(t, srv.Stop())
	for range 3 { // pooled connections first, then fresh dials
		err := conn.Exec(ctx, "SELECT 1")
		require.Error(t, err)
		assert.True(t, chdb.Retryable(err), "%v", err)
		t.Logf("while stopped: %v", err)
	}

	require.NoError(t, srv.Restart(ctx))
	assert.Eventually(t, func() bool { return conn.Ping(ctx) == nil }, 10*time.Second, 100*time.Millisecond,
		"the pool reconnects after Restart")
	assert.Equal(t, uint64(1), count(t, conn, "SELECT count() FROM default.kept WHERE n = 7"))
}
