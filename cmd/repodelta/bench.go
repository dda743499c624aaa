package main

import (
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/internal/pipeline"
)

const (
	flagRepoName   = "repository"
	flagWithOthers = "with-others"
	flagRebuild    = "rebuild"
)

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:      "bench",
		Usage:     "measure the pipeline end to end: ingest one configured repository from each SOURCE in turn, timing each until every projector has committed it",
		ArgsUsage: "SOURCE...",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagRepoName, Usage: "configured repository whose identity the sources share (default: the first)"},
			&cli.BoolFlag{Name: flagJSON, Usage: "print JSON lines"},
			&cli.BoolFlag{Name: flagWithOthers, Usage: "ingest the other configured repositories first (untimed)"},
			&cli.StringSliceFlag{Name: flagProjector, Usage: "projector to wait for (repeatable; default all)"},
			&cli.BoolFlag{Name: flagRebuild, Usage: "then time `repodelta rebuild` of the projections from the whole log (shadow tables, swap)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return fmt.Errorf("bench takes at least one SOURCE")
			}
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			repo := cfg.Repositories[0]
			if n := c.String(flagRepoName); n != "" {
				if repo, err = cfg.Find(n); err != nil {
					return err
				}
			}
			repo.InRelease = "" // each source is a different snapshot
			var s pipeline.Services
			defer s.Close()
			o := pipelineOptions(c)
			res, err := pipeline.Bench(c.Context, o, &s, cfg, repo, c.Args().Slice(), c.Bool(flagWithOthers), c.StringSlice(flagProjector))
			if err == nil && c.Bool(flagRebuild) {
				var rb pipeline.BenchResult
				rb, err = pipeline.BenchRebuild(c.Context, o, &s, cfg, c.StringSlice(flagProjector))
				res = append(res, rb)
			}
			for i, r := range res {
				if c.Bool(flagJSON) {
					json.NewEncoder(c.App.Writer).Encode(r)
					continue
				}
				fmt.Fprintf(c.App.Writer, "%-13s %8d events  %8.3f s  (ingest %.3f s, projection %.3f s)  %s\n", r.Step, r.Events,
					r.Duration.Seconds(), r.Ingest.Seconds(), (r.Duration - r.Ingest).Seconds(), r.Source)
				switch {
				case r.Step == "rebuild":
					fmt.Fprintf(c.App.Writer, "%-13s %.0f events/s into all projections\n", "", float64(r.Events)/r.Duration.Seconds())
					last := res[len(res)-2]
					fmt.Fprintf(c.App.Writer, "%-13s the last delta was %.1fx faster than this rebuild\n", "", r.Duration.Seconds()/last.Duration.Seconds())
				case i > 0:
					fmt.Fprintf(c.App.Writer, "%-13s %.1fx faster than the initial load\n", "", res[0].Duration.Seconds()/r.Duration.Seconds())
				}
			}
			return err
		},
	}
}
