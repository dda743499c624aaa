package pipeline

import (
	"context"
	"time"

	"github.com/repodelta/repodelta/internal/bus"
)

// waitEmpty waits until group has no member, logging every so often that
// some are still there.
func waitEmpty(ctx context.Context, o Options, groups *bus.Groups, group string) error {
	nextLog := time.Now().Add(5 * time.Second)
	for {
		n, err := groups.Members(ctx, group)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(nextLog) {
			o.logger().InfoContext(ctx, "waiting for the live projectors to leave their group", "group", group, "members", n)
			nextLog = time.Now().Add(30 * time.Second)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
