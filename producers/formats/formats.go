package formats

import (
	"fmt"
	"slices"
	"strings"

	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
)

// Options are what every parser is given.
type Options struct {
	// Seed is the hashing seed of package checksums.
	Seed uint64
	// Input caps and verifies what is read (see input.Options).
	Input input.Options
}

// Scanner opens one index of a format.
type Scanner func(path string, opts Options) producers.ScanFunc

var scanners = map[string]Scanner{
	"debian": func(path string, opts Options) producers.ScanFunc {
		return debian.Scanner(path, debian.Options{Seed: opts.Seed}, opts.Input)
	},
}

// Names lists the known formats.
func Names() []string {
	names := make([]string, 0, len(scanners))
	for n := range scanners {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Lookup returns the scanner of a format.
func Lookup(format string) (Scanner, error) {
	s, ok := scanners[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (known: %s)", format, strings.Join(Names(), ", "))
	}
	return s, nil
}
