package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/formats"
	"github.com/repodelta/repodelta/producers/input"
)

// Flag names, declared once.
const (
	flagDataDir      = "data-dir"
	flagFormat       = "format"
	flagJSON         = "json"
	flagHashSeed     = "hash-seed"
	flagMaxBytes     = "max-bytes"
	flagInRelease    = "inrelease"
	flagIndexPath    = "index-path"
	flagOldHashSeed  = "old-hash-seed"
	flagOldInRelease = "old-inrelease"
	flagEvents       = "events"
	flagMaxRemoval   = "max-removal-share"
	flagMinPackages  = "min-packages"
	flagForce        = "force"
	flagMemoryLimit  = "memory-limit"
)

func globalFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: flagDataDir, Value: "./data", EnvVars: []string{"REPODELTA_DATA_DIR"},
			Usage: "directory for state, the embedded broker's log and the managed ClickHouse"},
		&cli.Int64Flag{Name: flagMemoryLimit, Value: 128 << 20, EnvVars: []string{"REPODELTA_MEMORY_LIMIT"},
			Usage: "soft limit of the Go heap in bytes for parse and diff, and for other commands when set (GOMEMLIMIT, when set, wins); the garbage collector works harder near it"},
	}, pipelineFlags()...)
}

func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: flagFormat, Value: "debian", EnvVars: []string{"REPODELTA_FORMAT"},
		Usage: fmt.Sprintf("index format (%v)", formats.Names())}
}

func seedFlag(name, usage string) cli.Flag {
	return &cli.StringFlag{Name: name, Value: "0", EnvVars: []string{"REPODELTA_HASH_SEED"}, Usage: usage}
}

func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Int64Flag{Name: flagMaxBytes, Value: 1 << 30, Usage: "largest decompressed index accepted, in bytes"},
		&cli.StringFlag{Name: flagInRelease, Usage: "InRelease or Release file whose SHA256 list the index must match"},
		&cli.StringFlag{Name: flagIndexPath, Value: "main/binary-amd64/Packages",
			Usage: "the index's path in the release file (uncompressed name)"},
	}
}

// before runs ahead of every command: the memory limit, and the crash
// tests' failpoint (consumers.FailpointEnv) when the environment arms one.
func before(c *cli.Context) error {
	if err := applyMemoryLimit(c); err != nil {
		return err
	}
	return consumers.ArmFailpoint(os.Getenv(consumers.FailpointEnv))
}

// applyMemoryLimit sets the Go runtime's soft memory limit from the flag,
// unless GOMEMLIMIT already set it. The default applies to the commands
// that only read indexes (parse, diff). The others may host the embedded
// broker, which keeps the whole log in memory: a fixed default below it
// would keep the garbage collector running without end (GC took 14% of the
// CPU of a bench at 128 MiB), so they use it only when it is set.
func applyMemoryLimit(c *cli.Context) error {
	if os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	if cmd := c.Args().First(); !c.IsSet(flagMemoryLimit) && cmd != "parse" && cmd != "diff" {
		return nil
	}
	limit := c.Int64(flagMemoryLimit)
	if limit <= 0 {
		return fmt.Errorf("--%s must be positive, got %d", flagMemoryLimit, limit)
	}
	debug.SetMemoryLimit(limit)
	return nil
}

// parseSeed reads a hashing seed: decimal, or hex with 0x.
func parseSeed(s string) (uint64, error) {
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("parsing hashing seed %q: %w", s, err)
	}
	return v, nil
}

// formatOptions builds the parser options from the flags, for the index
// whose release file is named by releaseFlag.
func formatOptions(c *cli.Context, seedFlag, releaseFlag string) (formats.Options, error) {
	seed, err := parseSeed(c.String(seedFlag))
	if err != nil {
		return formats.Options{}, err
	}
	opts := formats.Options{Seed: seed, Input: input.Options{MaxBytes: c.Int64(flagMaxBytes)}}
	if rel := c.String(releaseFlag); rel != "" {
		sum, err := debian.ReleaseSHA256(c.Context, rel, c.String(flagIndexPath))
		if err != nil {
			return formats.Options{}, err
		}
		opts.Input.SHA256 = sum
	}
	return opts, nil
}
