package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/internal/pipeline"
)

const (
	flagFromOffset = "from-offset"
	flagFromTime   = "from-time"
	flagRestart    = "restart"
)

func rebuildCommand() *cli.Command {
	return &cli.Command{
		Name: "rebuild",
		Usage: "rebuild projections from the log into shadow tables while the live projectors keep serving, " +
			"then swap them in; an interrupted rebuild resumes when run again",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: flagProjector, Usage: fmt.Sprintf("projector to rebuild (repeatable; default all: %s)", strings.Join(pipeline.ProjectionNames(), ", "))},
			&cli.Int64Flag{Name: flagFromOffset, Usage: "start a new rebuild at this offset of every partition (default: the start of the log)"},
			&cli.TimestampFlag{Name: flagFromTime, Layout: time.RFC3339, Usage: "start a new rebuild at the first record written at or after this time (RFC 3339)"},
			&cli.BoolFlag{Name: flagRestart, Usage: "drop what an interrupted rebuild left and start anew"},
		},
		Action: func(c *cli.Context) error {
			if c.IsSet(flagFromOffset) && c.IsSet(flagFromTime) {
				return fmt.Errorf("--%s and --%s exclude each other", flagFromOffset, flagFromTime)
			}
			if c.Int64(flagFromOffset) < 0 {
				return fmt.Errorf("--%s %d is negative", flagFromOffset, c.Int64(flagFromOffset))
			}
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			ro := pipeline.RebuildOptions{
				Projectors: c.StringSlice(flagProjector), FromOffset: c.Int64(flagFromOffset),
				Restart: c.Bool(flagRestart), Progress: progressDisplay(c.App.ErrWriter),
			}
			if t := c.Timestamp(flagFromTime); t != nil {
				ro.FromTime = *t
			}
			var s pipeline.Services
			defer s.Close()
			res, err := pipeline.Rebuild(c.Context, pipelineOptions(c), &s, cfg, ro)
			for _, r := range res {
				fmt.Fprintf(c.App.Writer, "%s: rebuilt from %d events (build %.1f s for all, swap %.1f s)\n",
					r.Projector, r.Events, r.Build.Seconds(), r.Swap.Seconds())
			}
			return err
		},
	}
}
