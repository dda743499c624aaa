package bus

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/segmentio/kafka-go"
)

// ErrClosed is returned by a Publisher, Subscriber or BatchConsumer used
// after Close.
var ErrClosed = errors.New("closed")

// Retryable reports whether an operation that failed with err may succeed
// if tried again later. It is the one place that classifies Kafka errors:
//
//	nil                                      not retryable (nothing failed)
//	ErrClosed, io.ErrClosedPipe              permanent: the component is closed
//	context.Canceled                         permanent: the caller gave up
//	context.DeadlineExceeded                 retryable: a timeout
//	kafka.Error (a broker error code)        retryable if kafka-go marks it
//	                                         Temporary (Kafka's "retriable":
//	                                         leader moved, coordinator
//	                                         loading, timeout, …)
//	RebalanceInProgress, IllegalGeneration,  retryable: the group rebalanced
//	UnknownMemberId                          under a commit; the member
//	                                         rejoins and commits again
//	kafka.WriteErrors                        retryable if every failed
//	                                         message's error is retryable
//	kafka.MessageTooLargeError               permanent
//	network errors: refused, reset, broken   retryable: the broker is down,
//	pipe, timeouts, unexpected EOF           restarting or unreachable
//	anything else                            permanent
//
// Errors are matched through wrapping (errors.Is, errors.As).
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrClosed) || errors.Is(err, io.ErrClosedPipe) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var writeErrs kafka.WriteErrors
	if errors.As(err, &writeErrs) {
		return writeErrorsRetryable(writeErrs)
	}
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return false
	}
	var kerr kafka.Error
	if errors.As(err, &kerr) { // before net.Error: kafka.Error implements it too
		return kerr.Temporary() || groupChanged(kerr)
	}
	return networkError(err)
}

func groupChanged(err kafka.Error) bool {
	return err == kafka.RebalanceInProgress || err == kafka.IllegalGeneration || err == kafka.UnknownMemberId
}

func writeErrorsRetryable(errs kafka.WriteErrors) bool {
	failed := false
	for _, err := range errs {
		if err == nil {
			continue
		}
		if !Retryable(err) {
			return false
		}
		failed = true
	}
	return failed
}

func networkError(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return true
	}
	var operr *net.OpError
	return errors.As(err, &operr)
}
