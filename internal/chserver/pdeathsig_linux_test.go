//go:build linux

package chserver_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/chserver"
	"github.com/repodelta/repodelta/internal/testenv"
)

// parentEnv makes TestParentProcess act as the parent of a server.
const parentEnv = "CHSERVER_TEST_PARENT_DATADIR"

// TestParentProcess is not a test of its own: TestServerDiesWithItsParent
// runs it in a child process that starts a server, prints its pid, and
// waits to be killed.
func TestParentProcess(t *testing.T) {
	dir := os.Getenv(parentEnv)
	if dir == "" {
		t.Skip("helper process for TestServerDiesWithItsParent")
	}
	srv, err := chserver.Start(context.Background(), chserver.Config{DataDir: dir})
	if err != nil {
		fmt.Printf("error %v\n", errors.Is(err, chserver.ErrBinaryMissing))
		os.Exit(1)
	}
	fmt.Printf("pid %d\n", srv.Pid())
	time.Sleep(time.Hour)
}

func TestServerDiesWithItsParent(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestParentProcess$")
	cmd.Env = append(os.Environ(), parentEnv+"="+t.TempDir())
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	if line == "error true\n" {
		testenv.Unavailable(t, "clickhouse", chserver.ErrBinaryMissing)
	}
	pidText, ok := strings.CutPrefix(strings.TrimSpace(line), "pid ")
	require.True(t, ok, "helper said %q", line)
	pid, err := strconv.Atoi(pidText)
	require.NoError(t, err)
	require.True(t, alive(pid), "server pid %d is not running", pid)

	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	assert.Eventually(t, func() bool { return !alive(pid) }, 10*time.Second, 50*time.Millisecond,
		"server pid %d outlived its parent", pid)
}

// alive reports whether pid runs (a zombie awaiting its reaper does not).
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
