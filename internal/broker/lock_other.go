//go:build !unix

package broker

import (
	"fmt"
	"os"
)

// lockDataDir creates dir if needed. On this platform the directory is not
// locked: the caller must not start two brokers on one directory.
func lockDataDir(dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	return func() error { return nil }, nil
}
