package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// interspersed lets flags follow a command's positional arguments
// (`repodelta parse FILE --json`), which urfave/cli v2 does not parse on its
// own: the command's flags are moved before its first argument. Everything
// after "--" stays as it is.
func interspersed(app *cli.App, args []string) []string {
	for i := 1; i < len(args); i++ {
		cmd := app.Command(args[i])
		if cmd == nil {
			if strings.HasPrefix(args[i], "-") && !strings.Contains(args[i], "=") && !isBool(app.Flags, args[i]) {
				i++ // a global flag's value
			}
			continue
		}
		out := append([]string{}, args[:i+1]...)
		return append(out, reorder(cmd.Flags, args[i+1:])...)
	}
	return args
}

func reorder(flags []cli.Flag, args []string) []string {
	var flagArgs, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			positional = append(positional, args[i:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			flagArgs = append(flagArgs, a)
			if !strings.Contains(a, "=") && !isBool(flags, a) && i+1 < len(args) {
				i++
				flagArgs = append(flagArgs, args[i])
			}
		default:
			positional = append(positional, a)
		}
	}
	return append(flagArgs, positional...)
}

func isBool(flags []cli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	for _, f := range flags {
		if _, ok := f.(*cli.BoolFlag); !ok {
			continue
		}
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return name == "help" || name == "h"
}
