package bus_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/internal/bus"
)

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "no error is not retried", err: nil, want: false},
		{name: "a closed publisher stays closed", err: bus.ErrClosed, want: false},
		{name: "a closed kafka-go writer stays closed", err: io.ErrClosedPipe, want: false},
		{name: "a canceled caller gave up", err: fmt.Errorf("publishing: %w", context.Canceled), want: false},
		{name: "a timeout may pass", err: fmt.Errorf("committing: %w", context.DeadlineExceeded), want: true},
		{name: "a moved leader is retriable", err: kafka.NotLeaderForPartition, want: true},
		{name: "a rebalance is retriable", err: fmt.Errorf("committing: %w", kafka.RebalanceInProgress), want: true},
		{name: "a missing topic may be created yet", err: kafka.UnknownTopicOrPartition, want: true},
		{name: "an authorization failure is permanent", err: kafka.TopicAuthorizationFailed, want: false},
		{name: "an oversized record is permanent", err: kafka.MessageSizeTooLarge, want: false},
		{name: "an oversized message is permanent", err: kafka.MessageTooLargeError{}, want: false},
		{
			name: "write errors are retried when all are retriable",
			err:  fmt.Errorf("publishing: %w", kafka.WriteErrors{nil, kafka.LeaderNotAvailable, kafka.RequestTimedOut}),
			want: true,
		},
		{
			name: "write errors are permanent when one is",
			err:  kafka.WriteErrors{kafka.LeaderNotAvailable, kafka.InvalidTopic},
			want: false,
		},
		{name: "a refused connection is retried", err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, want: true},
		{name: "a reset connection is retried", err: fmt.Errorf("fetching: %w", syscall.ECONNRESET), want: true},
		{name: "a connection closed mid-answer is retried", err: io.ErrUnexpectedEOF, want: true},
		{name: "anything else is permanent", err: errors.New("decoding envelope"), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, bus.Retryable(tt.err))
		})
	}
}
