package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/repodelta/repodelta/internal/broker"
)

// KafkaBrokersEnv names external Kafka brokers (comma separated host:port)
// for tests to use instead of the embedded broker.
const KafkaBrokersEnv = "REPODELTA_TEST_KAFKA_BROKERS"

var kafkaOnce = sync.OnceValues(startKafka)

// Kafka returns the bootstrap addresses of the Kafka brokers tests use: the
// ones named by REPODELTA_TEST_KAFKA_BROKERS, or else an in-memory embedded
// broker started once per test binary and shared by its tests (it lives
// until the binary exits). Tests share the brokers, so each should use its
// own topics and groups (see Topic).
func Kafka(t testing.TB) []string {
	t.Helper()
	addrs, err := kafkaOnce()
	if err != nil {
		Unavailable(t, "kafka", err)
	}
	return addrs
}

func startKafka() ([]string, error) {
	if env := os.Getenv(KafkaBrokersEnv); env != "" {
		var addrs []string
		for _, a := range strings.Split(env, ",") {
			if a = strings.TrimSpace(a); a != "" {
				addrs = append(addrs, a)
			}
		}
		return addrs, reachable(addrs)
	}
	b, err := broker.Start(context.Background(), broker.Config{})
	if err != nil {
		return nil, fmt.Errorf("starting embedded broker: %w", err)
	}
	return b.Addrs(), nil
}

// reachable reports an error unless one of addrs accepts connections.
func reachable(addrs []string) error {
	var errs []error
	for _, a := range addrs {
		conn, err := net.DialTimeout("tcp", a, 2*time.Second)
		if err == nil {
			return conn.Close()
		}
		errs = append(errs, err)
	}
	return fmt.Errorf("reaching %s=%s: %w", KafkaBrokersEnv, strings.Join(addrs, ","), errors.Join(errs...))
}

// Topic returns a topic (or group) name no other test, run or process uses:
// the test's name made safe for Kafka, then a random suffix.
func Topic(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	for _, r := range t.Name() {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := b.String()
	if len(name) > 200 { // Kafka allows 249 characters
		name = name[:200]
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	return name + "-" + hex.EncodeToString(suffix)
}
