package testenv

import (
	"os"
	"strings"
	"testing"
)

// RequireEnv is the environment variable listing the services that must be
// available; a test needing a listed service fails instead of skipping.
const RequireEnv = "REPODELTA_REQUIRE"

// Required reports whether service is listed in REPODELTA_REQUIRE.
func Required(service string) bool {
	for _, s := range strings.Split(os.Getenv(RequireEnv), ",") {
		if strings.TrimSpace(s) == service {
			return true
		}
	}
	return false
}

// Unavailable ends the test because service cannot be had: it fails when the
// service is required and skips otherwise, naming the reason either way.
func Unavailable(t testing.TB, service string, err error) {
	t.Helper()
	if Required(service) {
		t.Fatalf("%s is required (%s=%q) but unavailable: %v", service, RequireEnv, os.Getenv(RequireEnv), err)
	}
	t.Skipf("%s unavailable (set %s=%s to make this a failure): %v", service, RequireEnv, service, err)
}
