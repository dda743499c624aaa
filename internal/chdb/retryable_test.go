package chdb_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/testenv"
)

func TestRetryableClassifiesServerErrors(t *testing.T) {
	conn, db := testenv.ClickHouseDB(t)
	ctx := context.Background()
	require.NoError(t, conn.Exec(ctx, "CREATE TABLE "+db+".t (n UInt64) ENGINE = MergeTree ORDER BY n"))
	withSettings := func(s clickhouse.Settings) context.Context {
		return clickhouse.Context(ctx, clickhouse.WithSettings(s))
	}

	tests := []struct {
		name      string
		ctx       context.Context
		query     string
		wantCode  string
		retryable bool
	}{
		{"a syntax error is permanent", ctx, "SELEC 1", "SYNTAX_ERROR", false},
		{"an unknown table is permanent", ctx, "SELECT * FROM " + db + ".nope", "UNKNOWN_TABLE", false},
		{"an unknown function is permanent", ctx, "SELECT nope(1)", "UNKNOWN_FUNCTION", false},
		{"a type mismatch is permanent", ctx, "SELECT count() FROM " + db + ".t WHERE n IN ('a')", "TYPE_MISMATCH", false},
		{"an existing table is permanent", ctx, "CREATE TABLE " + db + ".t (n UInt8) ENGINE = Memory", "TABLE_ALREADY_EXISTS", false},
		{"an exceeded time limit is retryable",
			withSettings(clickhouse.Settings{"max_execution_time": 1}), "SELECT sleep(2)", "TIMEOUT_EXCEEDED", true},
		{"an exceeded memory limit is retryable",
			withSettings(clickhouse.Settings{"max_memory_usage": 1000}),
			"SELECT groupArray(number) FROM system.numbers LIMIT 100000", "MEMORY_LIMIT_EXCEEDED", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := conn.Exec(tt.ctx, tt.query)
			require.Error(t, err)
			code, ok := chdb.ExceptionCode(err)
			require.True(t, ok, "not a server exception: %v", err)
			assert.Equal(t, tt.wantCode, chdb.ExceptionName(code), "code %d: %v", code, err)
			assert.Equal(t, tt.retryable, chdb.Retryable(err), "%v", err)
			assert.Equal(t, tt.retryable, chdb.Retryable(fmt.Errorf("inserting batch: %w", err)), "wrapped")
		})
	}
}

func TestRetryableClassifiesClientErrors(t *testing.T) {
	conn, db := testenv.ClickHouseDB(t)
	ctx := context.Background()
	require.NoError(t, conn.Exec(ctx, "CREATE TABLE "+db+".t (n UInt64) ENGINE = MergeTree ORDER BY n"))
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+db+".t (n)")
	require.NoError(t, err)
	appendErr := batch.Append("not a number")
	require.NoError(t, batch.Abort())
	require.Error(t, appendErr)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name      string
		err       error
		retryable bool
	}{
		{"no error is not retried", nil, false},
		{"a value of the wrong type is permanent", appendErr, false},
		{"a cancelled context is permanent", conn.Ping(cancelled), false},
		{"a passed deadline is retryable", fmt.Errorf("pinging: %w", context.DeadlineExceeded), true},
		{"a refused connection is retryable", fmt.Errorf("dialing: %w", syscall.ECONNREFUSED), true},
		{"a reset connection is retryable", fmt.Errorf("reading: %w", syscall.ECONNRESET), true},
		{"a connection cut mid-packet is retryable", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true},
		{"an exhausted pool is retryable", clickhouse.ErrAcquireConnTimeout, true},
		{"an unknown server code is permanent", &clickhouse.Exception{Code: 2999}, false},
		{"an arbitrary error is permanent", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.retryable, chdb.Retryable(tt.err), "%v", tt.err)
		})
	}
}

func TestRetryableWhileTheServerIsDown(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{"127.0.0.1:1"}, DialTimeout: time.Second})
	require.NoError(t, err)
	defer conn.Close()
	err = conn.Exec(ctx, "SELECT 1")
	require.Error(t, err)
	assert.True(t, chdb.Retryable(err), "%v", err)
}
