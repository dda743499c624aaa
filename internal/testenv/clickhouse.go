package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/chdb"
	"github.com/repodelta/repodelta/internal/chserver"
)

// ClickHouseAddrEnv names an external ClickHouse (host:port of the native
// protocol) that tests use instead of starting their own.
const ClickHouseAddrEnv = "REPODELTA_TEST_CLICKHOUSE_ADDR"

// clickhouseService is the service name in REPODELTA_REQUIRE.
const clickhouseService = "clickhouse"

var sharedClickHouse struct {
	once   sync.Once
	addr   string
	err    error
	reaper *os.File // held open until the test binary exits; see removeAtExit
}

// ClickHouse returns the native address of the ClickHouse server shared by
// every test of this test binary: REPODELTA_TEST_CLICKHOUSE_ADDR if set,
// otherwise a clickhouse-server started on first use with its data in a
// temporary directory. Without a clickhouse-server binary the test ends
// through Unavailable; a server that fails to start fails the test.
//
// The started server is never stopped by a test. It dies with the test
// binary (Pdeathsig on Linux), and a small watchdog shell, which waits for
// the binary to exit by reading a pipe only the binary holds, then kills the
// server if it still runs and removes its directory. So no TestMain is
// needed and nothing is left behind, even after a panic or a timeout.
func ClickHouse(t testing.TB) string {
	t.Helper()
	sharedClickHouse.once.Do(func() {
		sharedClickHouse.addr, sharedClickHouse.err = startSharedClickHouse()
	})
	switch err := sharedClickHouse.err; {
	case errors.Is(err, chserver.ErrBinaryMissing):
		Unavailable(t, clickhouseService, err)
	case err != nil:
		t.Fatalf("starting the shared clickhouse-server: %v", err)
	}
	return sharedClickHouse.addr
}

// ClickHouseDB gives the test a fresh database on the shared server and a
// connection whose default database it is. The database is dropped and the
// connection closed when the test ends.
func ClickHouseDB(t testing.TB) (driver.Conn, string) {
	t.Helper()
	addr := ClickHouse(t)
	name := testDatabaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := chdb.Open(ctx, chdb.Options{Addr: addr, Database: name, CreateDatabase: true})
	if err != nil {
		if chdb.Retryable(err) {
			Unavailable(t, clickhouseService, err)
		}
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
		if err := conn.Close(); err != nil {
			t.Errorf("closing connection to %s: %v", name, err)
		}
	})
	return conn, name
}

// OwnClickHouse starts a clickhouse-server that belongs to the test alone,
// with its data in t.TempDir(), for tests that stop, restart or break the
// server (Stop, then Restart on the same port and data). It is closed when
// the test ends. It ignores REPODELTA_TEST_CLICKHOUSE_ADDR: an external
// server cannot be stopped.
func OwnClickHouse(t testing.TB) *chserver.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := chserver.Start(ctx, chserver.Config{DataDir: t.TempDir()})
	if errors.Is(err, chserver.ErrBinaryMissing) {
		Unavailable(t, clickhouseService, err)
	}
	if err != nil {
		t.Fatalf("starting a clickhouse-server of the test's own: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("closing clickhouse-server: %v", err)
		}
	})
	return srv
}

func startSharedClickHouse() (string, error) {
	if addr := os.Getenv(ClickHouseAddrEnv); addr != "" {
		return addr, nil
	}
	dir, err := os.MkdirTemp("", "repodelta-clickhouse-")
	if err != nil {
		return "", fmt.Errorf("creating clickhouse data directory: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := chserver.Start(ctx, chserver.Config{DataDir: dir})
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	if err := removeAtExit(dir, srv.Pid()); err != nil {
		_ = srv.Close()
		_ = os.RemoveAll(dir)
		return "", err
	}
	return srv.Addr(), nil
}

// reaperScript waits for EOF on stdin (the test binary has exited), makes
// sure the server is gone, and removes its directory. It ignores the
// terminal's signals so that Ctrl-C on `go test` still cleans up.
const reaperScript = `trap '' INT HUP TERM QUIT
cat >/dev/null
[ "$3" = kill ] && kill -9 "$2" 2>/dev/null
i=0
while kill -0 "$2" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
i=0
while [ -e "$1" ] && [ $i -lt 10 ]; do rm -rf "$1"; i=$((i+1)); done`

// removeAtExit starts the watchdog that removes dir once this process has
// exited and the server pid with it. On Linux the kernel kills the server
// (Pdeathsig); elsewhere the watchdog does.
func removeAtExit(dir string, pid int) error {
	action := "wait"
	if runtime.GOOS != "linux" {
		action = "kill"
	}
	cmd := exec.Command("/bin/sh", "-c", reaperScript, "repodelta-clickhouse-reaper", dir, strconv.Itoa(pid), action)
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("creating clickhouse reaper pipe: %w", err)
	}
	defer r.Close()
	cmd.Stdin = r
	if err := cmd.Start(); err != nil {
		_ = w.Close()
		return fmt.Errorf("starting clickhouse reaper: %w", err)
	}
	// Only this process holds w (close-on-exec keeps it from children); the
	// package variable keeps it from being finalized, so it closes at exit.
	sharedClickHouse.reaper = w
	go func() { _ = cmd.Wait() }() // returns only if the reaper dies first
	return nil
}

// testDatabaseName makes a database name from a test name: readable, a
// plain identifier, and unique per call.
func testDatabaseName(testName string) string {
	var b strings.Builder
	b.WriteString("test_")
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= 45 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	b.WriteString("_" + hex.EncodeToString(suffix))
	return b.String()
}
