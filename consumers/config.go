package consumers

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/repodelta/repodelta/internal/bus"
)

// Config configures a Projector. The zero value of every field but
// Consumer.Brokers and Topic is a usable default.
type Config struct {
	// Consumer says how to reach Kafka and how to behave as a group
	// member. Brokers is required; Group must be left empty: the
	// projector's group is Group(projection name).
	Consumer bus.ConsumerConfig

	// Topic is the events topic. Required.
	Topic string

	// Poison receives records that cannot be decoded; the projector then
	// skips them. Nil makes an undecodable record stop Run with an error
	// wrapping events.ErrInvalid: nothing is ever skipped silently.
	Poison Poisoner

	// BatchSize is the most records fetched and applied at once. Zero
	// means 5000.
	BatchSize int

	// MaxWait is how long a fetch gathers records after the first one
	// before the batch is applied. Zero means 200ms.
	MaxWait time.Duration

	// MinBackoff and MaxBackoff bound the wait before retrying after a
	// retryable error; the wait doubles from MinBackoff up to MaxBackoff
	// and retries go on until they succeed or Run's context ends. Zero
	// means 100ms and 5s.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// Once makes Run return nil as soon as the group is caught up: when no
	// record arrives within IdleWait, or a batch comes back short, and the
	// group's lag (bus.Lag) is zero on every partition.
	Once bool

	// IdleWait is how long a fetch waits for a first record, with Once,
	// before the lag is checked. Zero means 1s.
	IdleWait time.Duration

	// Logger receives the projector's few log lines (start, retries,
	// poisoned records). Nil means slog.Default().
	Logger *slog.Logger

	// Control, when set, makes the projector step out of its consumer
	// group while a rebuild swaps the projection's tables (see Control).
	// Nil: the projector never checks.
	Control *Control
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if len(c.Consumer.Brokers) == 0 {
		errs = append(errs, errors.New("no brokers"))
	}
	if c.Consumer.Group != "" {
		errs = append(errs, fmt.Errorf("consumer group %q is set: the group is derived from the projection's name", c.Consumer.Group))
	}
	if c.Topic == "" {
		errs = append(errs, errors.New("no topic"))
	}
	if c.BatchSize < 0 {
		errs = append(errs, fmt.Errorf("batch size %d is negative", c.BatchSize))
	}
	if c.MaxWait < 0 || c.MinBackoff < 0 || c.MaxBackoff < 0 || c.IdleWait < 0 {
		errs = append(errs, errors.New("max wait, backoffs and idle wait must not be negative"))
	}
	if c.MinBackoff > 0 && c.MaxBackoff > 0 && c.MinBackoff > c.MaxBackoff {
		errs = append(errs, fmt.Errorf("min backoff %s exceeds max backoff %s", c.MinBackoff, c.MaxBackoff))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	c.BatchSize = orDefault(c.BatchSize, 5000)
	c.MaxWait = orDefault(c.MaxWait, 200*time.Millisecond)
	c.MinBackoff = orDefault(c.MinBackoff, 100*time.Millisecond)
	c.MaxBackoff = orDefault(c.MaxBackoff, 5*time.Second)
	c.MaxBackoff = max(c.MaxBackoff, c.MinBackoff)
	c.IdleWait = orDefault(c.IdleWait, time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
