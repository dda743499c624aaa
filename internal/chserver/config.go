package chserver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ErrBinaryMissing reports that no clickhouse-server binary could be found.
var ErrBinaryMissing = errors.New("clickhouse-server binary not found (install it with `apt-get install clickhouse-server`, or set Config.Binary)")

// Config describes a managed server. The zero value of every field but
// DataDir is a usable default.
type Config struct {
	// DataDir holds everything the server writes: data/ (databases, tables,
	// preprocessed configs), tmp/, user_files/, format_schemas/, log/ and
	// the generated config.xml and users.xml. Required; created if missing.
	// Two servers must not share one DataDir.
	DataDir string

	// Binary is the server executable. A file named "clickhouse" is taken as
	// the multi-call binary and run as "clickhouse server". Default: the
	// first of clickhouse-server in PATH, /usr/sbin/clickhouse-server,
	// /usr/bin/clickhouse-server, clickhouse in PATH, /usr/bin/clickhouse,
	// /usr/local/bin/clickhouse.
	Binary string

	// TCPPort is the native protocol port on 127.0.0.1. Default 0: a free
	// port chosen by Start and kept by Restart.
	TCPPort int

	// HTTPPort is the HTTP interface port on 127.0.0.1. Default 0: a free
	// port chosen by Start and kept by Restart.
	HTTPPort int

	// StartTimeout bounds how long Start waits for the native port to
	// answer. Default 60s.
	StartTimeout time.Duration

	// StopTimeout is how long Stop waits after SIGTERM before it sends
	// SIGKILL. Default 30s.
	StopTimeout time.Duration

	// LogLevel is the server's logger level (trace, debug, information,
	// warning, error). Default "warning".
	LogLevel string
}

// Validate reports every problem of c at once.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("DataDir is required"))
	}
	for name, port := range map[string]int{"TCPPort": c.TCPPort, "HTTPPort": c.HTTPPort} {
		if port < 0 || port > 65535 {
			errs = append(errs, fmt.Errorf("%s %d is outside 0-65535", name, port))
		}
	}
	if c.TCPPort != 0 && c.TCPPort == c.HTTPPort {
		errs = append(errs, fmt.Errorf("TCPPort and HTTPPort are both %d", c.TCPPort))
	}
	if c.StartTimeout < 0 {
		errs = append(errs, fmt.Errorf("StartTimeout %s is negative", c.StartTimeout))
	}
	if c.StopTimeout < 0 {
		errs = append(errs, fmt.Errorf("StopTimeout %s is negative", c.StopTimeout))
	}
	return errors.Join(errs...)
}

// withDefaults returns c with defaults filled in and DataDir made absolute.
func (c Config) withDefaults() (Config, error) {
	if c.StartTimeout == 0 {
		c.StartTimeout = 60 * time.Second
	}
	if c.StopTimeout == 0 {
		c.StopTimeout = 30 * time.Second
	}
	if c.LogLevel == "" {
		c.LogLevel = "warning"
	}
	dir, err := filepath.Abs(c.DataDir)
	if err != nil {
		return c, fmt.Errorf("resolving DataDir %s: %w", c.DataDir, err)
	}
	c.DataDir = dir
	return c, nil
}

// command returns the executable and the arguments that precede
// --config-file.
func (c Config) command() (string, []string, error) {
	bin := c.Binary
	if bin == "" {
		found, err := lookupBinary()
		if err != nil {
			return "", nil, err
		}
		bin = found
	} else if _, err := exec.LookPath(bin); err != nil {
		return "", nil, fmt.Errorf("locating %s: %w: %w", bin, ErrBinaryMissing, err)
	}
	if filepath.Base(bin) == "clickhouse" {
		return bin, []string{"server"}, nil
	}
	return bin, nil, nil
}

// lookupBinary finds the server binary in the default places.
func lookupBinary() (string, error) {
	candidates := []string{
		"clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server",
		"clickhouse", "/usr/bin/clickhouse", "/usr/local/bin/clickhouse",
	}
	for _, c := range candidates {
		if path, err := exec.LookPath(c); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("locating clickhouse-server in PATH (%s) and /usr: %w", os.Getenv("PATH"), ErrBinaryMissing)
}
