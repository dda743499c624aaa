package bus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"syscall"
	"time"

	"github.com/segmentio/kafka-go"
)

// clientID names repodelta's connections in the broker's logs and metrics.
const clientID = "repodelta"

// newTransport returns a transport of its own for a component, so that
// closing the component closes its connections.
func newTransport() *kafka.Transport {
	return &kafka.Transport{ClientID: clientID, DialTimeout: 10 * time.Second}
}

// forgetfulTransport is a kafka-go transport that drops its pooled
// connections when one turns out broken. kafka-go hands idle connections
// out until each has failed once, and a writer retries with backoff: after
// a broker restart every pooled connection is dead, and a writer that had
// many spent all its attempts on them, one a second, for as long as the
// pool's idle timeout.
type forgetfulTransport struct{ *kafka.Transport }

func (t forgetfulTransport) RoundTrip(ctx context.Context, addr net.Addr, req kafka.Request) (kafka.Response, error) {
	resp, err := t.Transport.RoundTrip(ctx, addr, req)
	if err != nil && brokenConnection(err) {
		t.CloseIdleConnections() // requests in flight finish on the old pool
	}
	return resp, err
}

// brokenConnection reports whether err says the connection it came through
// is dead.
func brokenConnection(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed)
}

// kafkaLogger passes kafka-go's log lines to slog at debug level: kafka-go
// reports as errors what is normal operation for us (rebalances, leader
// moves, retries). What matters reaches the caller as an error.
type kafkaLogger struct{ log *slog.Logger }

func (l kafkaLogger) Printf(format string, args ...any) {
	if l.log.Enabled(context.Background(), slog.LevelDebug) {
		l.log.DebugContext(context.Background(), fmt.Sprintf(format, args...))
	}
}

// sleep waits for d or until ctx is done, and reports whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
