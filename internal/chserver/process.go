package chserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// errPortInUse marks a start that failed because a port was taken.
var errPortInUse = errors.New("port already in use")

// readyPoll is how often waitReady dials the native port.
const readyPoll = 100 * time.Millisecond

// process is one run of the server binary.
type process struct {
	cmd     *exec.Cmd
	console *os.File
	done    chan struct{} // closed when the process has exited
	exitErr error         // valid once done is closed
	logs    logMark       // where this run's logs begin
}

// launch starts the binary on the config.xml under cfg.DataDir, with its
// console output appended to log/console.log.
func launch(cfg Config, bin string, args []string) (*process, error) {
	logs := markLogs(cfg.DataDir)
	console, err := os.OpenFile(logs.console.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", logs.console.path, err)
	}
	args = append(args, "--config-file="+filepath.Join(cfg.DataDir, configFile))
	cmd := exec.Command(bin, args...)
	cmd.Dir = cfg.DataDir
	cmd.Stdout = console
	cmd.Stderr = console
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		_ = console.Close()
		return nil, fmt.Errorf("running %s: %w", bin, err)
	}
	p := &process{cmd: cmd, console: console, done: make(chan struct{}), logs: logs}
	go func() {
		p.exitErr = cmd.Wait()
		_ = console.Close()
		close(p.done)
	}()
	return p, nil
}

// waitReady returns once addr completes a native protocol handshake (a
// bare TCP accept could be another program's port), or an error with the
// tail of this run's logs when the process exits, timeout passes or ctx
// ends first.
func (p *process) waitReady(ctx context.Context, addr string, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(readyPoll)
	defer tick.Stop()
	for {
		if ping(ctx, addr) == nil {
			return nil
		}
		select {
		case <-p.done:
			return p.failure(fmt.Errorf("exiting before %s answered: %v", addr, p.exitErr))
		case <-deadline.C:
			return p.failure(fmt.Errorf("waiting %s for %s to answer: %w", timeout, addr, context.DeadlineExceeded))
		case <-ctx.Done():
			return p.failure(fmt.Errorf("waiting for %s to answer: %w", addr, ctx.Err()))
		case <-tick.C:
		}
	}
}

// ping connects to addr and completes a handshake and a ping.
func ping(ctx context.Context, addr string) error {
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{addr},
		DialTimeout: time.Second,
		ReadTimeout: 2 * time.Second,
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return conn.Ping(ctx)
}

// failure adds this run's log tail to err.
func (p *process) failure(err error) error {
	tail := p.logs.tail()
	if isPortInUse(tail) {
		err = fmt.Errorf("%w (%w)", err, errPortInUse)
	}
	if tail == "" {
		return fmt.Errorf("%w; the server logged nothing", err)
	}
	return fmt.Errorf("%w; server log tail:\n%s", err, tail)
}

// stop sends SIGTERM, waits up to grace, then sends SIGKILL and waits. An
// exit caused by either signal is a clean stop.
func (p *process) stop(grace time.Duration) error {
	select {
	case <-p.done:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signalling pid %d: %w", p.cmd.Process.Pid, err)
	}
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-p.done:
		return nil
	case <-timer.C:
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("killing pid %d: %w", p.cmd.Process.Pid, err)
	}
	<-p.done
	return nil
}
