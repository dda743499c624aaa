package chserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
)

// ErrClosed reports a Restart after Close.
var ErrClosed = errors.New("clickhouse-server was closed")

// startAttempts is how often Start tries again with fresh ports when a port
// it picked was taken before the server could bind it.
const startAttempts = 3

// Server is a running clickhouse-server child process. Its methods are safe
// for concurrent use.
type Server struct {
	cfg  Config // defaults filled in, ports fixed
	bin  string
	args []string

	mu     sync.Mutex
	proc   *process // nil while stopped
	closed bool
}

// Start starts a clickhouse-server for cfg and returns once its native port
// completes a handshake, or an error holding the tail of what this run
// logged. When it picked the ports itself and one was taken meanwhile, it
// tries again with fresh ones. ctx bounds only the wait; the server runs until Stop or Close, or
// until this process dies. The caller must Close the Server.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating clickhouse-server config: %w", err)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	bin, args, err := cfg.command()
	if err != nil {
		return nil, fmt.Errorf("starting clickhouse-server: %w", err)
	}
	s := &Server{cfg: cfg, bin: bin, args: args}
	pickPorts := cfg.TCPPort == 0 || cfg.HTTPPort == 0
	for attempt := 1; ; attempt++ {
		if pickPorts {
			if s.cfg.TCPPort, s.cfg.HTTPPort, err = freePorts(cfg.TCPPort, cfg.HTTPPort); err != nil {
				return nil, fmt.Errorf("starting clickhouse-server: %w", err)
			}
		}
		err = s.start(ctx)
		if err == nil {
			return s, nil
		}
		if !pickPorts || attempt == startAttempts || !errors.Is(err, errPortInUse) {
			return nil, fmt.Errorf("starting clickhouse-server in %s: %w", cfg.DataDir, err)
		}
	}
}

// Addr is the host:port of the native protocol.
func (s *Server) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.cfg.TCPPort))
}

// HTTPAddr is the host:port of the HTTP interface.
func (s *Server) HTTPAddr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.cfg.HTTPPort))
}

// DataDir is the absolute directory holding the server's files.
func (s *Server) DataDir() string { return s.cfg.DataDir }

// Pid is the process id of the running server, or 0 while it is stopped.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// Stop stops the server (SIGTERM, then SIGKILL after Config.StopTimeout) and
// keeps its ports and data for Restart. Stopping a stopped server does
// nothing.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopLocked()
}

// Restart stops the server if it runs and starts it again on the same ports
// and data directory, returning once the native port answers.
func (s *Server) Restart(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if err := s.stopLocked(); err != nil {
		return err
	}
	if err := s.startLocked(ctx); err != nil {
		return fmt.Errorf("restarting clickhouse-server in %s: %w", s.cfg.DataDir, err)
	}
	return nil
}

// Close stops the server for good. It is idempotent; the data directory is
// left in place.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return s.stopLocked()
}

func (s *Server) start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startLocked(ctx)
}

func (s *Server) startLocked(ctx context.Context) error {
	if err := writeConfig(s.cfg, s.cfg.TCPPort, s.cfg.HTTPPort); err != nil {
		return err
	}
	p, err := launch(s.cfg, s.bin, s.args)
	if err != nil {
		return err
	}
	if err := p.waitReady(ctx, s.Addr(), s.cfg.StartTimeout); err != nil {
		_ = p.stop(s.cfg.StopTimeout)
		return err
	}
	s.proc = p
	return nil
}

func (s *Server) stopLocked() error {
	if s.proc == nil {
		return nil
	}
	err := s.proc.stop(s.cfg.StopTimeout)
	s.proc = nil
	if err != nil {
		return fmt.Errorf("stopping clickhouse-server in %s: %w", s.cfg.DataDir, err)
	}
	return nil
}

// freePorts returns the given ports, replacing each 0 with a free port of
// 127.0.0.1 distinct from the other.
func freePorts(tcp, http int) (int, int, error) {
	var err error
	if tcp == 0 {
		tcp, err = freePort(http)
	}
	if err == nil && http == 0 {
		http, err = freePort(tcp)
	}
	return tcp, http, err
}

// freePort asks the kernel for a port of 127.0.0.1 that is free right now
// and is not avoid.
func freePort(avoid int) (int, error) {
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("finding a free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if err := l.Close(); err != nil {
			return 0, fmt.Errorf("releasing port %d: %w", port, err)
		}
		if port != avoid {
			return port, nil
		}
	}
}

// isPortInUse reports whether a server log tail says a port was taken.
func isPortInUse(tail string) bool {
	return strings.Contains(tail, "Address already in use")
}
