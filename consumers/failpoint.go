package consumers

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// FailpointEnv names the environment variable that arms a failpoint: a
// place in the projector loop where the process kills itself with SIGKILL,
// for the crash tests of internal/pipeline (a `kill -9` at an exact point,
// which a signal sent from outside cannot hit). Its value is
//
//	<point>[:N][,batch-size=B]
//
// where point is one of
//
//	after-fetch   a batch was fetched; nothing of it applied
//	after-apply   the batch's ClickHouse writes succeeded; offsets not committed
//	after-commit  the batch's offsets are committed
//
// N (default 1) picks the N-th batch reaching that point in this process,
// counted over all its projectors, and batch-size overrides
// Config.BatchSize so that a small input still makes several batches.
//
// Only cmd reads the environment: the CLI passes the variable's value to
// ArmFailpoint at start. Unarmed (the production case), every failpoint is
// a load of a nil pointer.
const FailpointEnv = "REPODELTA_FAILPOINT"

// The failpoints of the projector loop.
const (
	AfterFetch  = "after-fetch"
	AfterApply  = "after-apply"
	AfterCommit = "after-commit"
)

// failpoint is an armed failpoint.
type failpoint struct {
	point     string
	nth       int64
	batchSize int
	reached   atomic.Int64
	kill      func()
}

// armed is the failpoint ArmFailpoint armed, or nil.
var armed *failpoint

// ArmFailpoint arms the failpoint spec describes (FailpointEnv's format);
// an empty spec disarms. Call it before starting projectors, from one
// goroutine.
func ArmFailpoint(spec string) error {
	if spec == "" {
		armed = nil
		return nil
	}
	fp, err := parseFailpoint(spec)
	if err != nil {
		return fmt.Errorf("%s: %w", FailpointEnv, err)
	}
	fp.kill = killSelf
	armed = fp
	return nil
}

// parseFailpoint parses FailpointEnv's value.
func parseFailpoint(v string) (*failpoint, error) {
	fields := strings.Split(v, ",")
	point, nth, hasN := strings.Cut(fields[0], ":")
	fp := &failpoint{point: point, nth: 1}
	switch point {
	case AfterFetch, AfterApply, AfterCommit:
	default:
		return nil, fmt.Errorf("parsing failpoint %q: unknown point %q", v, point)
	}
	if hasN {
		n, err := strconv.ParseInt(nth, 10, 64)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("parsing failpoint %q: batch number %q is not a positive integer", v, nth)
		}
		fp.nth = n
	}
	for _, opt := range fields[1:] {
		size, ok := strings.CutPrefix(opt, "batch-size=")
		n, err := strconv.Atoi(size)
		if !ok || err != nil || n < 1 {
			return nil, fmt.Errorf("parsing failpoint %q: option %q is not batch-size=<positive integer>", v, opt)
		}
		fp.batchSize = n
	}
	return fp, nil
}

// reach kills the process if point is the armed one and this is its N-th
// batch. Safe for concurrent use; a no-op on a nil failpoint.
func (fp *failpoint) reach(point string) {
	if fp == nil || point != fp.point {
		return
	}
	if fp.reached.Add(1) == fp.nth {
		fp.kill()
	}
}

// batchSizeOr returns the armed batch size, or size when none is armed.
func (fp *failpoint) batchSizeOr(size int) int {
	if fp == nil || fp.batchSize == 0 {
		return size
	}
	return fp.batchSize
}

// killSelf kills the own process (SIGKILL on Unix) and waits for it to
// land: nothing after the failpoint runs.
func killSelf() {
	if self, err := os.FindProcess(os.Getpid()); err == nil {
		_ = self.Kill()
	}
	for {
		time.Sleep(time.Second)
	}
}
