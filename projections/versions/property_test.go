package versions_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/projections/versions"
)

// versionTokens are the pieces generated versions are glued from: numbers
// (with leading zeros and beyond 64 bits), keywords, unknown words, upper
// case, separators and a non-ASCII letter.
var versionTokens = []string{
	"0", "1", "2", "9", "00", "01", "10", "18446744073709551616",
	"a", "b", "p", "P", "z", "alpha", "Beta", "rc", "pre", "patch", "post",
	"pl", "errata", "dev", "git",
	".", ".", ".", "-", "_", "~", "+", ":", "é",
}

var debianTokens = []string{
	"0", "1", "2", "01", "10", "a", "b", "A", "Z", "rc",
	".", ".", "+", "~", "~~", "-", ":",
}

// generate returns n pseudo-random strings glued from up to maxTokens
// tokens, the same on every run.
func generate(seed uint64, n, maxTokens int, tokens []string) []string {
	r := rand.New(rand.NewPCG(seed, seed))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range r.IntN(maxTokens + 1) {
			b.WriteString(tokens[r.IntN(len(tokens))])
		}
		out[i] = b.String()
	}
	return out
}

// checkTotalPreorder compares every pair of n elements with cmp and checks
// that the results form a total preorder: cmp(i, i) = 0, cmp(i, j) =
// -cmp(j, i), and for every triple, i ≤ j and j ≤ k imply i ≤ k, with
// equality whenever both steps are equal.
func checkTotalPreorder(t *testing.T, n int, name func(i int) string, cmp func(i, j int) int) {
	t.Helper()
	m := make([][]int8, n)
	for i := range m {
		m[i] = make([]int8, n)
		for j := range m[i] {
			m[i][j] = int8(cmp(i, j))
		}
	}
	for i := range n {
		require.Zero(t, m[i][i], "%s compared with itself", name(i))
		for j := range n {
			require.Equal(t, -m[j][i], m[i][j], "antisymmetry of %s and %s", name(i), name(j))
		}
	}
	for i := range n {
		for j := range n {
			if m[i][j] > 0 {
				continue
			}
			for k := range n {
				if m[j][k] > 0 {
					continue
				}
				want := int8(-1)
				if m[i][j] == 0 && m[j][k] == 0 {
					want = 0
				}
				if m[i][k] != want { // a plain check: this loop runs n³ times
					t.Fatalf("transitivity: %s vs %s = %d, %s vs %s = %d, but %s vs %s = %d",
						name(i), name(j), m[i][j], name(j), name(k), m[j][k], name(i), name(k), m[i][k])
				}
			}
		}
	}
}

func TestCompareIsATotalPreorder(t *testing.T) {
	vs := generate(1, 250, 6, versionTokens)
	checkTotalPreorder(t, len(vs),
		func(i int) string { return fmt.Sprintf("%q", vs[i]) },
		func(i, j int) int { return versions.Compare(vs[i], vs[j]) })
}

// TestCompareFlagsIsATotalPreorder treats each (version, flags) pair as one
// element: every side's flags change only how that side is read, so the
// pairs must still be totally preordered.
func TestCompareFlagsIsATotalPreorder(t *testing.T) {
	type flagged struct {
		v string
		f versions.Flag
	}
	vs := generate(2, 200, 5, versionTokens)
	es := make([]flagged, len(vs))
	for i, v := range vs {
		es[i] = flagged{v, versions.Flag(i % 16)}
	}
	checkTotalPreorder(t, len(es),
		func(i int) string { return fmt.Sprintf("%q(%s)", es[i].v, flagNames(es[i].f)) },
		func(i, j int) int { return versions.CompareFlags(es[i].v, es[j].v, es[i].f, es[j].f) })
}

func TestDebianCompareIsATotalPreorder(t *testing.T) {
	vs := generate(3, 250, 6, debianTokens)
	checkTotalPreorder(t, len(vs),
		func(i int) string { return fmt.Sprintf("%q", vs[i]) },
		func(i, j int) int { return versions.DebianCompare(vs[i], vs[j]) })
}

// TestBoundsEncloseEveryVersionWithThePrefix checks the bounds' contract:
// LowerBound(v) < v+sep+s < UpperBound(v) for any s, and LowerBound(v) < v
// < UpperBound(v).
func TestBoundsEncloseEveryVersionWithThePrefix(t *testing.T) {
	prefixes := generate(4, 100, 4, versionTokens)
	suffixes := generate(5, 100, 4, versionTokens)
	for _, v := range prefixes {
		require.Equal(t, -1, versions.CompareFlags(v, v, versions.LowerBound, 0), "lower bound of %q", v)
		require.Equal(t, 1, versions.CompareFlags(v, v, versions.UpperBound, 0), "upper bound of %q", v)
		for _, s := range suffixes {
			w := v + "." + s
			require.Equal(t, -1, versions.CompareFlags(v, w, versions.LowerBound, 0), "lower bound of %q against %q", v, w)
			require.Equal(t, 1, versions.CompareFlags(v, w, versions.UpperBound, 0), "upper bound of %q against %q", v, w)
		}
	}
}
