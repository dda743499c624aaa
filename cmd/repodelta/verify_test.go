package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/testenv"
)

func TestVerifyExitsNonZeroOnADifference(t *testing.T) {
	brokers, addr, topic := testenv.Kafka(t), testenv.ClickHouse(t), testenv.Topic(t)
	db := strings.ReplaceAll(strings.ToLower(topic), "-", "_")
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("topic: "+topic+"\npartitions: 1\nrepositories: []\n"), 0o644))
	args := []string{"--data-dir", t.TempDir(), "--config", cfg, "--kafka-brokers", strings.Join(brokers, ","),
		"--clickhouse-addr", addr, "--clickhouse-database", db, "verify"}
	t.Cleanup(func() {
		conn, err := chdb.Open(context.Background(), chdb.Options{Addr: addr})
		if err == nil {
			_ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db)
			conn.Close()
		}
	})

	out, err := run(t, args...)
	require.NoError(t, err, out)
	assert.Contains(t, out, "verify: no differences")

	conn, err := chdb.Open(context.Background(), chdb.Options{Addr: addr, Database: db})
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.Exec(context.Background(), "INSERT INTO "+db+".statistics_current (key, generation, num_projects) SELECT 0, 1, 7"))
	out, err = run(t, args...)
	require.ErrorIs(t, err, errDifferences)
	assert.Contains(t, out, "statistics - 0: want (no row) got")

	out, err = run(t, append(args, "--repair")...)
	require.ErrorIs(t, err, errDifferences, out)
	out, err = run(t, args...)
	require.NoError(t, err, out)
}
