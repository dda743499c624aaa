package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/internal/broker"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/pipeline"
)

// Flag names of the pipeline commands.
const (
	flagConfig         = "config"
	flagKafkaBrokers   = "kafka-brokers"
	flagClickHouseAddr = "clickhouse-addr"
	flagRepo           = "repo"
	flagPort           = "port"
	flagDatabase       = "clickhouse-database"
)

func pipelineFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagConfig, EnvVars: []string{"REPODELTA_CONFIG"},
			Usage: "YAML configuration (default: the host's apt indexes in " + config.DefaultAptLists + ")"},
		&cli.StringFlag{Name: flagKafkaBrokers, EnvVars: []string{"REPODELTA_KAFKA_BROKERS"},
			Usage: "comma separated Kafka brokers (default: the embedded broker under --data-dir)"},
		&cli.StringFlag{Name: flagClickHouseAddr, EnvVars: []string{"REPODELTA_CLICKHOUSE_ADDR"},
			Usage: "ClickHouse native address host:port (default: a managed clickhouse-server under --data-dir)"},
		&cli.StringFlag{Name: flagDatabase, Value: "repodelta", EnvVars: []string{"REPODELTA_CLICKHOUSE_DATABASE"},
			Usage: "ClickHouse database of the projections"},
	}
}

// pipelineOptions builds the shared options from the flags.
func pipelineOptions(c *cli.Context) pipeline.Options {
	var brokers []string
	for _, b := range strings.Split(c.String(flagKafkaBrokers), ",") {
		if b = strings.TrimSpace(b); b != "" {
			brokers = append(brokers, b)
		}
	}
	return pipeline.Options{
		DataDir: c.String(flagDataDir), KafkaBrokers: brokers, ClickHouseAddr: c.String(flagClickHouseAddr),
		Database: c.String(flagDatabase),
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
}

// loadConfig reads --config, or falls back to the host's apt indexes.
func loadConfig(c *cli.Context) (*config.Config, error) {
	if path := c.String(flagConfig); path != "" {
		return config.Load(path)
	}
	cfg, err := config.FromAptLists(config.DefaultAptLists)
	if err != nil {
		return nil, fmt.Errorf("no --config given, and the host's apt indexes cannot serve: %w", err)
	}
	return cfg, nil
}

func brokerCommand() *cli.Command {
	return &cli.Command{
		Name:  "broker",
		Usage: "run the embedded Kafka-protocol broker standalone, so producers and projectors can be separate processes",
		Flags: []cli.Flag{&cli.IntFlag{Name: flagPort, Usage: "port on 127.0.0.1 (default: the one remembered in the data dir, else free)"}},
		Action: func(c *cli.Context) error {
			o := pipelineOptions(c)
			b, err := broker.Start(c.Context, broker.Config{DataDir: o.DataDir + "/kafka", Port: c.Int(flagPort), Logger: o.Logger})
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "broker listening on %s (pass --kafka-brokers %s)\n", strings.Join(b.Addrs(), ","), strings.Join(b.Addrs(), ","))
			return b.Run(c.Context)
		},
	}
}

func ingestCommand() *cli.Command {
	return &cli.Command{
		Name:  "ingest",
		Usage: "take a snapshot of configured repositories and publish what changed",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: flagRepo, Usage: "repository name (repeatable; default: all configured)"},
			&cli.BoolFlag{Name: flagForce, Usage: "publish even snapshots the guards refuse"},
		},
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			o := pipelineOptions(c)
			var s pipeline.Services
			defer s.Close()
			res, err := pipeline.IngestWithProgress(c.Context, o, &s, cfg, c.StringSlice(flagRepo), c.Bool(flagForce), ingestDisplay(c.App.ErrWriter))
			for _, r := range res {
				fmt.Fprintf(c.App.Writer, "%s: snapshot %d, %d appeared, %d changed, %d disappeared, %d unchanged\n",
					r.Repository, r.Sequence, r.Counts.Appeared, r.Counts.Changed, r.Counts.Disappeared, r.Counts.Unchanged)
			}
			return err
		},
	}
}
