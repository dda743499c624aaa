package formats

import (
	"context"
	"fmt"
	"io"
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

// Format is one index format.
type Format struct {
	Name string
	// Scan parses a decompressed index; name is used in errors, known (may
	// be nil) is the previous snapshot (producers.Known).
	Scan func(ctx context.Context, r io.Reader, name string, seed uint64, known producers.Known, fn func(*producers.Entry) error) error
}

var known = []Format{
	{Name: "debian", Scan: func(ctx context.Context, r io.Reader, name string, seed uint64, known producers.Known, fn func(*producers.Entry) error) error {
		return debian.Scan(ctx, r, name, debian.Options{Seed: seed, Known: known}, fn)
	}},
}

// Names lists the known formats.
func Names() []string {
	names := make([]string, 0, len(known))
	for _, f := range known {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}

// Lookup returns a format by name.
func Lookup(name string) (Format, error) {
	for _, f := range known {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Names(), ", "))
}

// File returns a ScanFunc that opens the index at path (see input.Open)
// when called, and closes it after.
func (f Format) File(path string, opts Options) producers.ScanFunc {
	return func(ctx context.Context, known producers.Known, fn func(*producers.Entry) error) error {
		r, err := input.Open(ctx, path, opts.Input)
		if err != nil {
			return err
		}
		return f.Opened(r, opts)(ctx, known, fn)
	}
}

// Opened returns a ScanFunc over an index already opened; it closes r.
func (f Format) Opened(r *input.Reader, opts Options) producers.ScanFunc {
	return func(ctx context.Context, known producers.Known, fn func(*producers.Entry) error) error {
		err := f.Scan(ctx, r, r.Name(), opts.Seed, known, fn)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		return err
	}
}
