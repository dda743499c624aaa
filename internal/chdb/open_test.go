package chdb_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/testenv"
)

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opts    chdb.Options
		wantErr []string
	}{
		{"an address alone is enough", chdb.Options{Addr: "127.0.0.1:9000"}, nil},
		{"every problem is reported at once",
			chdb.Options{Database: "a-b", DialTimeout: -time.Second, MaxOpenConns: -1},
			[]string{"Addr is required", `"a-b" is not a plain identifier`, "DialTimeout -1s", "connection limits -1/0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
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

func TestOpenCreatesTheDatabaseWhenAsked(t *testing.T) {
	ctx := context.Background()
	addr := testenv.ClickHouse(t)
	_, db := testenv.ClickHouseDB(t) // a fresh name, dropped at the end
	fresh := db + "_created"

	_, err := chdb.Open(ctx, chdb.Options{Addr: addr, Database: fresh})
	code, ok := chdb.ExceptionCode(err)
	require.True(t, ok, "want a server exception, got %v", err)
	assert.Equal(t, "UNKNOWN_DATABASE", chdb.ExceptionName(code))
	assert.False(t, chdb.Retryable(err))

	conn, err := chdb.Open(ctx, chdb.Options{Addr: addr, Database: fresh, CreateDatabase: true})
	require.NoError(t, err)
	defer conn.Close()
	defer func() { assert.NoError(t, conn.Exec(ctx, "DROP DATABASE "+fresh)) }()
	var current string
	require.NoError(t, conn.QueryRow(ctx, "SELECT currentDatabase()").Scan(&current))
	assert.Equal(t, fresh, current)
}

func TestOpenUnreachableServerIsRetryable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now

	_, err = chdb.Open(context.Background(), chdb.Options{Addr: addr, DialTimeout: time.Second})
	require.Error(t, err)
	assert.True(t, chdb.Retryable(err), "connection refused: %v", err)
}
