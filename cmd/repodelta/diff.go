package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/formats"
	"github.com/repodelta/repodelta/producers/input"
)

func diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "print the delta between two snapshots of one repository, without Kafka",
		ArgsUsage: "OLD NEW",
		Flags: append([]cli.Flag{
			formatFlag(),
			&cli.BoolFlag{Name: flagJSON, Usage: "print the counts as one JSON object"},
			&cli.BoolFlag{Name: flagEvents, Usage: "print the events of NEW as JSON lines"},
			seedFlag(flagHashSeed, "hashing seed of NEW's checksums"),
			&cli.StringFlag{Name: flagOldHashSeed, Usage: "hashing seed of OLD's checksums (default: --hash-seed)"},
			&cli.StringFlag{Name: flagOldInRelease, Usage: "release file OLD must match"},
			&cli.Float64Flag{Name: flagMaxRemoval, Value: producers.DefaultGuard.MaxRemovalShare,
				Usage: "refuse a NEW that removes more than this share of OLD's packages (0: no limit)"},
			&cli.IntFlag{Name: flagMinPackages, Usage: "refuse a NEW with fewer packages"},
			&cli.BoolFlag{Name: flagForce, Usage: "diff even what the guards refuse"},
		}, inputFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return fmt.Errorf("diff takes OLD and NEW, got %d arguments", c.NArg())
			}
			oldSeed := flagHashSeed
			if c.IsSet(flagOldHashSeed) {
				oldSeed = flagOldHashSeed
			}
			oldOpts, err := formatOptions(c, oldSeed, flagOldInRelease)
			if err != nil {
				return err
			}
			newOpts, err := formatOptions(c, flagHashSeed, flagInRelease)
			if err != nil {
				return err
			}
			req := diffRequest{
				format: c.String(flagFormat), old: c.Args().Get(0), new: c.Args().Get(1),
				oldOpts: oldOpts, newOpts: newOpts,
				guard: producers.Guard{MaxRemovalShare: c.Float64(flagMaxRemoval), MinPackages: c.Int(flagMinPackages), Force: c.Bool(flagForce)},
			}
			if c.Bool(flagEvents) {
				req.events = c.App.Writer
			}
			res, err := runDiff(c.Context, req)
			if err != nil {
				return err
			}
			if req.events != nil {
				return nil
			}
			return res.print(c.App.Writer, c.Bool(flagJSON))
		},
	}
}

type diffRequest struct {
	format           string
	old, new         string
	oldOpts, newOpts formats.Options
	guard            producers.Guard
	events           io.Writer // nil: count only
}

// diffResult is what `repodelta diff` prints.
type diffResult struct {
	Appeared    int     `json:"appeared"`
	Changed     int     `json:"changed"`
	Disappeared int     `json:"disappeared"`
	Unchanged   int     `json:"unchanged"`
	Packages    int     `json:"packages"`
	Projects    int     `json:"projects"`
	Seconds     float64 `json:"seconds"`
}

// diffReadAhead bounds how much of NEW is decompressed ahead while OLD is
// read: enough for a whole Debian main index.
const diffReadAhead = 48 << 20

// diffRepository is the repository both snapshots are taken of; diff
// compares files, so their identity is nominal.
var diffRepository = events.Repository{Name: "diff", Family: "diff", Distribution: "diff", Release: "diff", Component: "diff", Architecture: "diff"}

func runDiff(ctx context.Context, req diffRequest) (*diffResult, error) {
	f, err := formats.Lookup(req.format)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	// NEW is opened first and decompressed ahead while OLD is read, so the
	// two decompressions overlap (memory grows by at most the read-ahead).
	newOpts := req.newOpts
	newOpts.Input.ReadAhead = diffReadAhead
	newIndex, err := input.Open(ctx, req.new, newOpts.Input)
	if err != nil {
		return nil, err
	}
	defer newIndex.Close()
	discard := producers.SinkFunc(func(*events.Envelope) error { return nil })
	old, _, err := producers.Diff(ctx, producers.NewState(diffRepository),
		producers.Snapshot{Repository: diffRepository, Sequence: 1, Time: start.UTC(), Source: req.old, Seed: req.oldOpts.Seed},
		producers.Guard{}, f.File(req.old, req.oldOpts), discard)
	if err != nil {
		return nil, err
	}
	var sink producers.Sink = discard
	var spool *producers.Spool
	if req.events != nil {
		if spool, err = producers.NewSpool(""); err != nil {
			return nil, err
		}
		defer spool.Close()
		sink = spool
	}
	_, counts, err := producers.Diff(ctx, old,
		producers.Snapshot{Repository: diffRepository, Sequence: 2, Time: time.Now().UTC(), Source: req.new, Seed: req.newOpts.Seed},
		req.guard, f.Opened(newIndex, newOpts), sink)
	if err != nil {
		return nil, err
	}
	if spool != nil {
		if err := writeEvents(req.events, spool); err != nil {
			return nil, err
		}
	}
	return &diffResult{
		Appeared: counts.Appeared, Changed: counts.Changed, Disappeared: counts.Disappeared, Unchanged: counts.Unchanged,
		Packages: counts.Packages, Projects: counts.Projects, Seconds: time.Since(start).Seconds(),
	}, nil
}

// writeEvents copies the spooled events to w as JSON lines: only once the
// whole snapshot was read and passed the guards.
func writeEvents(w io.Writer, spool *producers.Spool) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	err := spool.Replay(func(r producers.Record) error {
		bw.Write(r.Value)
		return bw.WriteByte('\n')
	})
	if err != nil {
		return fmt.Errorf("writing events: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing events: %w", err)
	}
	return nil
}

func (r *diffResult) print(w io.Writer, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(r)
	}
	_, err := fmt.Fprintf(w, "appeared     %d\nchanged      %d\ndisappeared  %d\nunchanged    %d\npackages     %d\nprojects     %d\ntime         %.3fs\n",
		r.Appeared, r.Changed, r.Disappeared, r.Unchanged, r.Packages, r.Projects, r.Seconds)
	return err
}
