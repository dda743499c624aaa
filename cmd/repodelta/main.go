package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	app := newApp()
	err := app.RunContext(ctx, interspersed(app, os.Args))
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "repodelta:", err)
		os.Exit(1)
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:                 "repodelta",
		Usage:                "keep package-repository metadata up to date by moving only what changed",
		EnableBashCompletion: true,
		Flags:                globalFlags(),
		Before:               before,
		Commands: []*cli.Command{
			parseCommand(),
			diffCommand(),
			runCommand(),
			ingestCommand(),
			projectCommand(),
			rebuildCommand(),
			statusCommand(),
			brokerCommand(),
			benchCommand(),
			verifyCommand(),
		},
	}
}
