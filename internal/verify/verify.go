package verify

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Options tune Run.
type Options struct {
	// Database is the ClickHouse database of the projections.
	Database string
	// Projectors are the projections to verify (default: all).
	Projectors []string
	// Repair makes every differing table equal to its recomputation.
	Repair bool
	// RunID names the run in verify_runs; a run with the ID of an earlier
	// one skips the checks that one finished. "" means a fresh run that
	// records nothing.
	RunID string
	// Log, when set, is the event log the package_history check reads
	// the commit markers from; without it that check is left out.
	Log EventLog
	// Out receives every difference and the summaries (nil: discarded).
	Out io.Writer
	// Progress, when set, is called before and after every check.
	Progress func(check string, done bool, s []Summary)
}

// Report is what a run found.
type Report struct {
	Summaries   []Summary // per check and group, in check order
	Differences uint64    // differing rows over all checks
	Repaired    uint64    // rows repair rewrote or removed
	Unrepaired  []string  // checks with differences repair cannot fix, and why
	Skipped     []string  // checks left out, and why
	Resumed     []string  // checks an earlier run with the same RunID finished
}

// Run verifies every check of the selected projectors and, with Repair,
// repairs what differs. It returns an error only when it could not verify;
// differences are in the report.
func Run(ctx context.Context, conn driver.Conn, o Options) (*Report, error) {
	checks, err := Checks(o.Projectors)
	if err != nil {
		return nil, err
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	rep := &Report{}
	done := map[string][]Summary{}
	if o.RunID != "" {
		if done, err = finishedChecks(ctx, conn, o.Database, o.RunID); err != nil {
			return nil, err
		}
	}
	for _, c := range checks {
		if c.FromLog != nil && o.Log == nil {
			rep.Skipped = append(rep.Skipped, c.Name+": needs the event log")
			continue
		}
		if sums, ok := done[c.Name]; ok {
			rep.Resumed = append(rep.Resumed, c.Name)
			rep.add(sums)
			continue
		}
		if o.Progress != nil {
			o.Progress(c.Name, false, nil)
		}
		sums, err := runCheck(ctx, conn, o, c, out, rep)
		if err != nil {
			return rep, err
		}
		if o.Progress != nil {
			o.Progress(c.Name, true, sums)
		}
	}
	return rep, nil
}

func (r *Report) add(sums []Summary) {
	r.Summaries = append(r.Summaries, sums...)
	for _, s := range sums {
		r.Differences += s.Differences
	}
}

// runCheck compares one check, prints its differences and summaries,
// repairs it if asked, and records it as finished.
func runCheck(ctx context.Context, conn driver.Conn, o Options, c *Check, out io.Writer, rep *Report) ([]Summary, error) {
	var diffs []Diff
	c = c.withLog(o.Log)
	byGroup, err := compare(ctx, conn, o.Database, c, func(d Diff) error {
		fmt.Fprintln(out, d.String(c))
		if o.Repair {
			diffs = append(diffs, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verifying %s: %w", c.Name, err)
	}
	sums := make([]Summary, 0, len(byGroup))
	for _, g := range slices.Sorted(maps.Keys(byGroup)) {
		s := *byGroup[g]
		fmt.Fprintln(out, s.String())
		sums = append(sums, s)
	}
	rep.add(sums)
	if o.Repair && len(diffs) > 0 {
		if err := repair(ctx, conn, o.Database, c, diffs, rep); err != nil {
			return nil, fmt.Errorf("repairing %s: %w", c.Name, err)
		}
	}
	if o.RunID != "" {
		if err := recordFinished(ctx, conn, o.Database, o.RunID, c.Name, sums); err != nil {
			return nil, err
		}
	}
	return sums, nil
}

// String prints a difference as "table repository key: want … got …".
func (d Diff) String(c *Check) string {
	side := func(r *Row) string {
		if r == nil {
			return "(no row)"
		}
		return c.content(r)
	}
	group := d.Group
	if group == "" {
		group = "-"
	}
	var key []any
	for i, col := range c.Key {
		if col != c.Group {
			key = append(key, d.Key[i])
		}
	}
	return fmt.Sprintf("%s %s %s: want %s got %s", d.Check, group, renderKey(key), side(d.Want), side(d.Got))
}

// String prints a summary line.
func (s Summary) String() string {
	group := s.Group
	if group == "" {
		group = "-"
	}
	state := "ok"
	if s.Differences > 0 {
		state = fmt.Sprintf("%d differences", s.Differences)
	}
	return fmt.Sprintf("summary %s %s: want %d rows checksum %016x, got %d rows checksum %016x: %s",
		s.Check, group, s.WantRows, s.WantChecksum, s.GotRows, s.GotChecksum, state)
}

// Checks returns the checks of the named projectors (all when none), in a
// stable order.
func Checks(projectors []string) ([]*Check, error) {
	all := allChecks()
	if len(projectors) == 0 {
		return all, nil
	}
	var out []*Check
	known := map[string]bool{}
	for _, c := range all {
		known[c.Projector] = true
	}
	for _, p := range projectors {
		if !known[p] {
			return nil, fmt.Errorf("unknown projector %q (known: %s)", p, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	for _, c := range all {
		if slices.Contains(projectors, c.Projector) {
			out = append(out, c)
		}
	}
	return out, nil
}

func allChecks() []*Check {
	var out []*Check
	out = append(out, packageChecks()...)
	out = append(out, projectChecks()...)
	out = append(out, maintainerChecks()...)
	out = append(out, linkChecks()...)
	return out
}
