package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/formats"
)

func parseCommand() *cli.Command {
	return &cli.Command{
		Name:      "parse",
		Usage:     "read one index and summarise it",
		ArgsUsage: "FILE",
		Flags: append([]cli.Flag{
			formatFlag(),
			&cli.BoolFlag{Name: flagJSON, Usage: "print one JSON object"},
			seedFlag(flagHashSeed, "hashing seed of package checksums (decimal or 0x hex)"),
		}, inputFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("parse takes one FILE, got %d arguments", c.NArg())
			}
			opts, err := formatOptions(c, flagHashSeed, flagInRelease)
			if err != nil {
				return err
			}
			sum, err := runParse(c.Context, c.String(flagFormat), c.Args().First(), opts)
			if err != nil {
				return err
			}
			return sum.print(c.App.Writer, c.Bool(flagJSON))
		},
	}
}

// parseSummary is what `repodelta parse` prints.
type parseSummary struct {
	File        string  `json:"file"`
	Packages    int     `json:"packages"`
	Projects    int     `json:"projects"`
	Maintainers int     `json:"maintainers"`
	Checksum    string  `json:"packageset_checksum"`
	Seconds     float64 `json:"seconds"`
}

func runParse(ctx context.Context, format, path string, opts formats.Options) (*parseSummary, error) {
	f, err := formats.Lookup(format)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	s := producers.NewSummary()
	if err := f.File(path, opts)(ctx, nil, s.Add); err != nil {
		return nil, err
	}
	return &parseSummary{
		File: path, Packages: s.Packages, Projects: s.Projects(), Maintainers: s.Maintainers(),
		Checksum: s.Checksum().String(), Seconds: time.Since(start).Seconds(),
	}, nil
}

func (s *parseSummary) print(w io.Writer, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(s)
	}
	_, err := fmt.Fprintf(w, "file         %s\npackages     %d\nprojects     %d\nmaintainers  %d\npackageset   %s\ntime         %.3fs\n",
		s.File, s.Packages, s.Projects, s.Maintainers, s.Checksum, s.Seconds)
	return err
}
