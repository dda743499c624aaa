package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/twmb/franz-go/pkg/kfake"
)

// kfakeLogger passes kfake's warnings and errors to slog; its info and debug
// lines (one per request) are dropped. While Close runs it collects errors
// instead, so that Close can return them.
type kfakeLogger struct {
	log *slog.Logger

	mu        sync.Mutex
	capturing bool
	errs      []error
}

func newKfakeLogger(log *slog.Logger) *kfakeLogger {
	return &kfakeLogger{log: log.With("component", "broker")}
}

// Logf implements kfake.Logger.
func (l *kfakeLogger) Logf(level kfake.LogLevel, format string, args ...any) {
	switch level {
	case kfake.LogLevelError:
		msg := fmt.Sprintf(format, args...)
		l.mu.Lock()
		capturing := l.capturing
		if capturing {
			l.errs = append(l.errs, errors.New(msg))
		}
		l.mu.Unlock()
		if !capturing {
			l.log.ErrorContext(context.Background(), msg)
		}
	case kfake.LogLevelWarn:
		l.log.WarnContext(context.Background(), fmt.Sprintf(format, args...))
	}
}

func (l *kfakeLogger) captureErrors() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.capturing = true
}

func (l *kfakeLogger) capturedErrors() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.capturing = false
	err := errors.Join(l.errs...)
	l.errs = nil
	return err
}
