package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
)

func corpus(name string) string {
	return filepath.Join("..", "..", "..", "shared", "corpus", "debian", name)
}

// run runs the CLI in-process and returns what it printed.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	app := newApp()
	var out bytes.Buffer
	app.Writer = &out
	app.ErrWriter = &out
	all := append([]string{"repodelta"}, args...)
	err := app.Run(interspersed(app, all))
	return out.String(), err
}

func TestParsePrintsTheSummaryAsJSON(t *testing.T) {
	out, err := run(t, "parse", "--format", "debian", corpus("bookworm_main_amd64_Packages.xz"), "--json")
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.EqualValues(t, 63440, got["packages"])
	assert.EqualValues(t, 34169, got["projects"])
	assert.EqualValues(t, 2240, got["maintainers"])
	assert.Len(t, got["packageset_checksum"], 16)
}

func TestParseChecksTheInRelease(t *testing.T) {
	_, err := run(t, "parse", "--inrelease", corpus("bookworm-updates_InRelease"), corpus("bookworm-updates_main_amd64_Packages.xz"))
	require.NoError(t, err)
	_, err = run(t, "parse", "--inrelease", corpus("bookworm-updates_InRelease"), corpus("bookworm-security_main_amd64_Packages.xz"))
	require.ErrorContains(t, err, "SHA-256 mismatch")
}

func TestDiffPrintsCountsAsJSON(t *testing.T) {
	out, err := run(t, "diff", "--json", corpus("bookworm_main_amd64_Packages.xz"), corpus("bookworm-point_main_amd64_Packages.xz"))
	require.NoError(t, err)
	var got map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.EqualValues(t, 230, got["appeared"])
	assert.EqualValues(t, 1016, got["changed"])
	assert.EqualValues(t, 4, got["disappeared"])
	assert.EqualValues(t, 62420, got["unchanged"])
}

func TestDiffOfAFileWithItselfPrintsOnlyMarkers(t *testing.T) {
	f := corpus("bookworm-updates_main_amd64_Packages.xz")
	out, err := run(t, "diff", "--events", f, f)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2)
	first, err := events.Decode([]byte(lines[0]))
	require.NoError(t, err)
	assert.Equal(t, events.SnapshotStarted, first.Type)
}

func TestDiffWithABumpedSeedChangesEverything(t *testing.T) {
	f := corpus("bookworm-updates_main_amd64_Packages.xz")
	out, err := run(t, "diff", "--json", "--old-hash-seed", "0", "--hash-seed", "0x2a", f, f)
	require.NoError(t, err)
	var got map[string]float64
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.EqualValues(t, 38, got["changed"])
	assert.EqualValues(t, 0, got["unchanged"])
}

func TestDiffEventsAreWholeSnapshots(t *testing.T) {
	out, err := run(t, "diff", "--events", corpus("bookworm-security_main_amd64_Packages.xz"), corpus("bookworm-updates_main_amd64_Packages.xz"))
	require.ErrorContains(t, err, "snapshot refused", "updates replaces security: most packages would go")
	assert.Empty(t, out, "a refused snapshot prints no events")
	out, err = run(t, "diff", "--events", "--force", corpus("bookworm-security_main_amd64_Packages.xz"), corpus("bookworm-updates_main_amd64_Packages.xz"))
	require.NoError(t, err)
	n := strings.Count(out, "\n")
	assert.Greater(t, n, 3000)
}

func TestBadArgumentsAreErrors(t *testing.T) {
	_, err := run(t, "parse")
	assert.ErrorContains(t, err, "one FILE")
	_, err = run(t, "parse", "--format", "rpm", corpus("bookworm-updates_main_amd64_Packages.xz"))
	assert.ErrorContains(t, err, `unknown format "rpm"`)
	_, err = run(t, "parse", "--hash-seed", "nope", corpus("bookworm-updates_main_amd64_Packages.xz"))
	assert.ErrorContains(t, err, "hashing seed")
	_, err = run(t, "parse", "/does/not/exist")
	assert.ErrorContains(t, err, "/does/not/exist")
}
