package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/pipeline"
)

const (
	flagOnce      = "once"
	flagEvery     = "every"
	flagProjector = "projector"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "ingest every configured repository and project until all projectors have caught up",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: flagOnce, Usage: "exit once the projectors have caught up"},
			&cli.DurationFlag{Name: flagEvery, Value: time.Hour, EnvVars: []string{"REPODELTA_EVERY"}, Usage: "pause between ingests without --once"},
			&cli.BoolFlag{Name: flagForce, Usage: "publish even snapshots the guards refuse"},
		},
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			if c.Duration(flagEvery) <= 0 {
				return fmt.Errorf("--%s must be positive, got %s", flagEvery, c.Duration(flagEvery))
			}
			var s pipeline.Services
			defer s.Close()
			return pipeline.Run(c.Context, pipelineOptions(c), &s, cfg, pipeline.RunOptions{
				Once: c.Bool(flagOnce), Every: c.Duration(flagEvery), Force: c.Bool(flagForce),
				Progress: progressDisplay(c.App.ErrWriter), IngestProgress: ingestDisplay(c.App.ErrWriter),
			})
		},
	}
}

func projectCommand() *cli.Command {
	return &cli.Command{
		Name:  "project",
		Usage: "run projectors: consume the event log into ClickHouse",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: flagProjector, Usage: fmt.Sprintf("projector name (repeatable; default all: %s)", strings.Join(pipeline.ProjectionNames(), ", "))},
			&cli.BoolFlag{Name: flagOnce, Usage: "exit once caught up"},
		},
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			var s pipeline.Services
			defer s.Close()
			return pipeline.Project(c.Context, pipelineOptions(c), &s, cfg, c.StringSlice(flagProjector), c.Bool(flagOnce), progressDisplay(c.App.ErrWriter))
		},
	}
}

func statusCommand() *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "per repository the last committed snapshot; per projector its lag and watermarks",
		Flags: []cli.Flag{&cli.BoolFlag{Name: flagJSON, Usage: "print one JSON object"}},
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			var s pipeline.Services
			defer s.Close()
			st, err := pipeline.ReadStatus(c.Context, pipelineOptions(c), &s, cfg)
			if err != nil {
				return err
			}
			if c.Bool(flagJSON) {
				return json.NewEncoder(c.App.Writer).Encode(st)
			}
			return printStatus(c.App.Writer, st)
		},
	}
}

func printStatus(w io.Writer, st *pipeline.Status) error {
	fmt.Fprintln(w, "repositories")
	for _, r := range st.Repositories {
		c := r.Counts
		fmt.Fprintf(w, "  %-40s snapshot %d at %s: %d packages (+%d ~%d -%d)\n", r.Name, r.Sequence,
			r.Time.Format(time.RFC3339), c.Packages, c.Appeared, c.Changed, c.Disappeared)
	}
	fmt.Fprintln(w, "projectors")
	for _, p := range st.Projectors {
		fmt.Fprintf(w, "  %-20s lag %d\n", p.Name, p.Lag)
		for repo, seq := range p.Watermarks {
			fmt.Fprintf(w, "    %-40s committed snapshot %d\n", repo, seq)
		}
	}
	return nil
}

// terminal returns w as a file when it is a terminal.
func terminal(w io.Writer) (*os.File, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return nil, false
	}
	if _, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS); err != nil {
		return nil, false
	}
	return f, true
}

// ingestDisplay returns a one-line display of packages read when w is a
// terminal, and nil otherwise.
func ingestDisplay(w io.Writer) pipeline.IngestProgress {
	f, ok := terminal(w)
	if !ok {
		return nil
	}
	return func(repo string, n int) { fmt.Fprintf(f, "\r\033[Kingesting %s: %d packages read", repo, n) }
}

// progressDisplay returns a one-line progress display when w is a
// terminal, and nil (no display: the logs say enough) otherwise.
func progressDisplay(w io.Writer) func([]*consumers.Projector) {
	f, ok := terminal(w)
	if !ok {
		return nil
	}
	start := time.Now()
	return func(ps []*consumers.Projector) {
		var b strings.Builder
		for _, p := range ps {
			st := p.Stats()
			fmt.Fprintf(&b, "%s: %d events in %d batches  ", strings.TrimPrefix(p.Group(), consumers.GroupPrefix), st.Events, st.Batches)
		}
		fmt.Fprintf(f, "\r\033[K%s(%s)", b.String(), time.Since(start).Round(time.Second))
	}
}
