package producers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
)

// withoutRaw is st with its raw hashes forgotten, as a state rebuilt from
// the log has them: the next snapshot then parses every stanza.
func withoutRaw(st *producers.State) *producers.State {
	out := producers.NewState(st.Repository)
	out.Sequence, out.Seed, out.Time, out.Counts = st.Sequence, st.Seed, st.Time, st.Counts
	for k, p := range st.Packages {
		p.Raw = 0
		out.Put(k, p)
	}
	return out
}

func TestSkippingKnownStanzasEmitsWhatAWholeParseEmits(t *testing.T) {
	old, _ := snapshot(t, producers.NewState(repo), "bookworm_main_amd64_Packages.xz", 0, discard())
	for k, p := range old.Packages {
		require.NotZero(t, p.Raw, "%s has no raw hash", k)
	}
	var skipped, whole recorder
	nextSkipped, cs := snapshot(t, old, "bookworm-point_main_amd64_Packages.xz", 0, &skipped)
	nextWhole, cw := snapshot(t, withoutRaw(old), "bookworm-point_main_amd64_Packages.xz", 0, &whole)
	assert.Equal(t, cw, cs)
	require.Equal(t, len(whole), len(skipped))
	for i := range whole {
		a, err := events.Encode(whole[i])
		require.NoError(t, err)
		b, err := events.Encode(skipped[i])
		require.NoError(t, err)
		require.Equal(t, string(a), string(b), "event %d", i)
	}
	assert.Equal(t, nextWhole.Packages, nextSkipped.Packages, "same checksums, versions and raw hashes")
}

func TestANewSeedParsesEveryStanzaAgain(t *testing.T) {
	old, _ := snapshot(t, producers.NewState(repo), "bookworm-security_main_amd64_Packages.xz", 0, discard())
	var rec recorder
	_, c := snapshot(t, old, "bookworm-security_main_amd64_Packages.xz", 42, &rec)
	assert.Equal(t, len(old.Packages), c.Changed)
	for _, e := range rec {
		if e.Type == events.PackageChanged {
			require.NotEmpty(t, e.Package.Maintainer.Name, "%s was emitted from a light parse", e.Key)
		}
	}
}
