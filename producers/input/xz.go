package input

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// ErrNoXZ is returned by Open for an xz file when no xz program is installed.
var ErrNoXZ = errors.New("xz program not found")

// startXZ decompresses with the xz program, on as many threads as the
// file has blocks and the machine cores (Debian's indexes have two): liblzma is about three times
// faster than the pure-Go decoders, and its --memlimit-decompress refuses a
// header asking for a huge dictionary. Running it as a
// separate process overlaps decompression with parsing on another core. The
// process's exit status is checked before EOF is reported, so a truncated or
// corrupt file is an error, never a short index.
func (r *Reader) startXZ(ctx context.Context, br *bufio.Reader, opts Options) error {
	path, err := exec.LookPath(opts.XZBinary)
	if err != nil {
		return fmt.Errorf("%w: %w (install xz-utils)", ErrNoXZ, err)
	}
	cmd := exec.CommandContext(ctx, path, "--decompress", "--stdout", "--threads=0",
		"--memlimit-decompress="+strconv.FormatInt(opts.XZMemLimit, 10))
	cmd.Stdin = br
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("starting xz: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting xz: %w", err)
	}
	growPipe(out)
	var once sync.Once
	var waitErr error
	wait := func() error {
		once.Do(func() {
			if err := cmd.Wait(); err != nil {
				msg := strings.ReplaceAll(strings.TrimSpace(stderr.String()), "\n", "; ")
				waitErr = fmt.Errorf("xz: %s: %w", msg, err)
			}
		})
		return waitErr
	}
	r.src = out
	r.finish = wait
	r.closeSrc = func() error {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill() // closed early: the rest is not wanted
		}
		_ = wait()
		return nil
	}
	return nil
}
