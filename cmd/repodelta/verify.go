package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/internal/eventlog"
	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/internal/verify"
)

const (
	flagRepair = "repair"
	flagResume = "resume"
	flagRunID  = "run-id"
)

// errDifferences makes verify exit non-zero when a table differs.
var errDifferences = errors.New("derived tables differ from their recomputation")

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "recompute every derived table from its projection's base state and compare it with the delta-maintained one",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: flagProjector, Usage: fmt.Sprintf("projector name (repeatable; default all: %s)", strings.Join(pipeline.ProjectionNames(), ", "))},
			&cli.BoolFlag{Name: flagRepair, Usage: "rewrite the differing rows from the recomputation"},
			&cli.StringFlag{Name: flagRunID, Usage: "name of this run; a rerun with the same name skips the checks it finished (default: the start time)"},
			&cli.BoolFlag{Name: flagResume, Usage: "continue the latest run, skipping the checks it finished"},
		},
		Action: runVerify,
	}
}

func runVerify(c *cli.Context) error {
	o := pipelineOptions(c)
	var s pipeline.Services
	defer s.Close()
	conn, err := pipeline.OpenClickHouse(c.Context, o, &s)
	if err != nil {
		return err
	}
	defer conn.Close()
	runID := c.String(flagRunID)
	if c.Bool(flagResume) && runID == "" {
		if runID, err = verify.LatestRun(c.Context, conn, o.Database); err != nil {
			return err
		}
	}
	if runID == "" {
		runID = time.Now().UTC().Format("20060102T150405.000Z")
	}
	vo := verify.Options{
		Database: o.Database, Projectors: c.StringSlice(flagProjector), Repair: c.Bool(flagRepair), RunID: runID,
		Out: c.App.Writer, Progress: verifyProgress(c),
	}
	if cfg, err := loadConfig(c); err != nil {
		fmt.Fprintf(c.App.ErrWriter, "verify: no event log (%v): package_history is not checked\n", err)
	} else {
		if err := s.StartKafka(c.Context, o); err != nil {
			return err
		}
		log, err := eventlog.Open(c.Context, eventlog.Config{Brokers: s.Brokers, Topic: cfg.Topic, Partitions: cfg.Partitions})
		if err != nil {
			return err
		}
		defer log.Close()
		vo.Log = log
	}
	fmt.Fprintf(c.App.ErrWriter, "verify: run %s\n", runID)
	rep, err := verify.Run(c.Context, conn, vo)
	if err != nil {
		return err
	}
	return verifyOutcome(c, rep)
}

// verifyProgress prints a line per check on stderr.
func verifyProgress(c *cli.Context) func(string, bool, []verify.Summary) {
	start := time.Now()
	return func(check string, done bool, sums []verify.Summary) {
		if !done {
			start = time.Now()
			fmt.Fprintf(c.App.ErrWriter, "verify: %s…\n", check)
			return
		}
		var rows, diffs uint64
		for _, s := range sums {
			rows, diffs = rows+s.WantRows, diffs+s.Differences
		}
		fmt.Fprintf(c.App.ErrWriter, "verify: %s: %d rows, %d differences (%s)\n", check, rows, diffs, time.Since(start).Round(time.Millisecond))
	}
}

func verifyOutcome(c *cli.Context, rep *verify.Report) error {
	for _, s := range rep.Skipped {
		fmt.Fprintf(c.App.ErrWriter, "verify: skipped %s\n", s)
	}
	for _, s := range rep.Resumed {
		fmt.Fprintf(c.App.ErrWriter, "verify: %s finished by the run before, not checked again\n", s)
	}
	for _, s := range rep.Unrepaired {
		fmt.Fprintf(c.App.ErrWriter, "verify: cannot repair %s\n", s)
	}
	if rep.Differences == 0 {
		fmt.Fprintln(c.App.Writer, "verify: no differences")
		return nil
	}
	if c.Bool(flagRepair) {
		fmt.Fprintf(c.App.Writer, "verify: %d differences, %d rows repaired (run verify again to confirm)\n", rep.Differences, rep.Repaired)
	}
	return fmt.Errorf("%w: %d rows", errDifferences, rep.Differences)
}
