package debian

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/repodelta/repodelta/producers/input"
)

// scanLines calls fn with each line of a small text file (plain or
// compressed), without its line ending, and its line number.
func scanLines(ctx context.Context, path string, fn func(line string, n int) error) error {
	r, err := input.Open(ctx, path, input.Options{MaxBytes: 64 << 20})
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if err := fn(strings.TrimRight(sc.Text(), "\r"), n); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}
