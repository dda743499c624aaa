package pipeline

import (
	"context"
	"time"

	"github.com/repodelta/repodelta/consumers"
)

// progressInterval is how often a progress display is refreshed.
const progressInterval = 500 * time.Millisecond

// progressLoop calls show every progressInterval until done closes or ctx
// ends, and once more at the end.
func progressLoop(ctx context.Context, done <-chan struct{}, runners []*consumers.Projector, show func([]*consumers.Projector)) {
	t := time.NewTicker(progressInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			show(runners)
		case <-done:
			show(runners)
			return
		case <-ctx.Done():
			return
		}
	}
}
