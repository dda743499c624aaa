package debian

import (
	"context"
	"errors"
	"fmt"

	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/input"
)

// ScanFile opens the index at path (plain or compressed, see input.Open)
// and scans it. Decompression runs in its own process or goroutine beside
// the parser. Errors name the file; parse errors also the line.
func ScanFile(ctx context.Context, path string, opts Options, in input.Options, fn func(*producers.Entry) error) error {
	r, err := input.Open(ctx, path, in)
	if err != nil {
		return err
	}
	scanErr := Scan(ctx, r, path, opts, fn)
	closeErr := r.Close()
	if scanErr != nil {
		return scanErr
	}
	return closeErr
}

// Scanner returns a producers.ScanFunc over the index at path.
func Scanner(path string, opts Options, in input.Options) producers.ScanFunc {
	return func(ctx context.Context, known producers.Known, fn func(*producers.Entry) error) error {
		opts.Known = known
		return ScanFile(ctx, path, opts, in, fn)
	}
}

// ErrNotInRelease is returned by ReleaseSHA256 when the release file does
// not list the index.
var ErrNotInRelease = errors.New("index not listed in release file")

// ReleaseSHA256 returns the SHA-256 that a Release or InRelease file lists
// for the index at indexPath relative to the suite, such as
// "main/binary-amd64/Packages" (the uncompressed index: input.Open checks
// what it decompressed). The OpenPGP signature of an InRelease file is not
// checked here; verify it with gpgv before trusting the value.
func ReleaseSHA256(ctx context.Context, releasePath, indexPath string) (string, error) {
	var sum string
	found := false
	inSHA := false
	err := scanLines(ctx, releasePath, func(line string, n int) error {
		switch {
		case line == "SHA256:":
			inSHA = true
		case len(line) > 0 && line[0] != ' ':
			inSHA = false
		case inSHA:
			var hash, name string
			var size int64
			if _, err := fmt.Sscan(line, &hash, &size, &name); err != nil {
				return &ParseError{File: releasePath, Line: n, Err: fmt.Errorf("%w: SHA256 entry %q", ErrSyntax, line)}
			}
			if name == indexPath {
				sum, found = hash, true
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if !found {
		return "", fmt.Errorf("reading %s: %w: %s", releasePath, ErrNotInRelease, indexPath)
	}
	return sum, nil
}
