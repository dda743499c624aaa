package consumers

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/internal/bus"
)

func TestConfigValidate(t *testing.T) {
	valid := Config{Consumer: bus.ConsumerConfig{Brokers: []string{"localhost:9092"}}, Topic: "package-events"}
	tests := []struct {
		name  string
		edit  func(c *Config)
		wants []string // substrings of the error; none: valid
	}{
		{name: "brokers and a topic are enough", edit: func(*Config) {}},
		{name: "every problem is reported at once", edit: func(c *Config) {
			c.Consumer.Brokers, c.Topic, c.BatchSize = nil, "", -1
		}, wants: []string{"no brokers", "no topic", "batch size -1"}},
		{name: "the group comes from the projection's name", edit: func(c *Config) {
			c.Consumer.Group = "mine"
		}, wants: []string{`consumer group "mine" is set`}},
		{name: "negative durations are refused", edit: func(c *Config) {
			c.IdleWait = -time.Second
		}, wants: []string{"must not be negative"}},
		{name: "backoffs must be in order", edit: func(c *Config) {
			c.MinBackoff, c.MaxBackoff = time.Minute, time.Second
		}, wants: []string{"min backoff 1m0s exceeds max backoff 1s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.edit(&c)
			err := c.Validate()
			if len(tt.wants) == 0 {
				assert.NoError(t, err)
				return
			}
			for _, want := range tt.wants {
				assert.ErrorContains(t, err, want)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{MinBackoff: 10 * time.Second}.withDefaults()
	assert.Equal(t, 5000, c.BatchSize)
	assert.Equal(t, 200*time.Millisecond, c.MaxWait)
	assert.Equal(t, time.Second, c.IdleWait)
	assert.Equal(t, 10*time.Second, c.MaxBackoff, "the default cap never undercuts a larger minimum")
	assert.NotNil(t, c.Logger)
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	tests := []struct {
		name     string
		min, max time.Duration
		want     []time.Duration
	}{
		{"the defaults", 100 * time.Millisecond, 5 * time.Second, []time.Duration{
			100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond,
			1600 * time.Millisecond, 3200 * time.Millisecond, 5 * time.Second, 5 * time.Second,
		}},
		{"a cap equal to the start", time.Second, time.Second, []time.Duration{time.Second, time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBackoff(tt.min, tt.max)
			var got []time.Duration
			for range tt.want {
				got = append(got, b.wait())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
