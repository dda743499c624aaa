package versions_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/versions"
)

// debianFacts are orderings dpkg --compare-versions gives, grouped by the
// rule they pin down. Each is checked in both directions.
var debianFacts = []struct {
	group string
	facts []fact
}{
	{"the epoch is compared first", []fact{
		{"1:0.9", ">", "2.0"},
		{"1:1.0", ">", "1.0"},
		{"0:1.0", "=", "1.0"},
		{"00:1.0", "=", "1.0"},
		{"2:1.0", ">", "1:9.9"},
		{"1.0", "<", "1:0.1"},
		{"10:1.0", ">", "9:1.0"},
		{"99999999999999999999:1", ">", "1:2"},
	}},
	{"tilde sorts before everything, even the end", []fact{
		{"1.0~rc1", "<", "1.0"},
		{"1.0~~", "<", "1.0~~a"},
		{"1.0~~a", "<", "1.0~"},
		{"1.0~", "<", "1.0"},
		{"1.0~beta1", "<", "1.0~rc1"},
		{"1.0~rc1", "<", "1.0~rc2"},
		{"1.0~rc1-1", "<", "1.0-1"},
		{"1.0~rc1", ">", "0.9"},
		{"1.2~git20240101", "<", "1.2"},
		{"1.0-1~bpo12+1", "<", "1.0-1"},
	}},
	{"letters sort before other punctuation and after the end", []fact{
		{"1.0", "<", "1.0a"},
		{"1.0a", "<", "1.0+"},
		{"1.0a", "<", "1.0.1"},
		{"1.0A", "<", "1.0a"},
		{"1.0Z", "<", "1.0a"},
		{"1.0+dfsg", ">", "1.0"},
		{"1.0+dfsg", "<", "1.0.1"},
		{"1.2+git20240101", ">", "1.2"},
		{"1.2+git20240101", "<", "1.2.1"},
		{"1.0", "<", "1.0.1"},
		{"1.0.0", ">", "1.0"},
		{"1.0a1", ">", "1.0a"},
		{"a", "<", "b"},
		{"1.0+really0.9", ">", "1.0"},
	}},
	{"digit runs compare as numbers", []fact{
		{"1.01", "=", "1.1"},
		{"1.001", "=", "1.1"},
		{"1.10", ">", "1.9"},
		{"9", "<", "10"},
		{"2.30-1", ">", "2.3-1"},
		{"20240101", ">", "2023.12"},
		{"1.0", "=", "1.0"},
		{"1.18446744073709551616", ">", "1.18446744073709551615"},
	}},
	{"the revision is compared last, from the last hyphen", []fact{
		{"1.0-1", "<", "1.0-1+b1"},
		{"1.0", "=", "1.0-0"},
		{"1.0-1", ">", "1.0"},
		{"1.0-1", "<", "1.0-2"},
		{"1.0-1", "<", "1.0-10"},
		{"1.0-9", "<", "1.0-10"},
		{"1.0-1ubuntu1", ">", "1.0-1"},
		{"1.0-1ubuntu1", "<", "1.0-2"},
		{"1.0-1+deb12u1", ">", "1.0-1"},
		{"1.0-1+deb12u1", "<", "1.0-2"},
		{"1.2.3-4", "<", "1.2.3-4.1"},
		{"1.2.3-4.1", "<", "1.2.3-5"},
		{"1.0-1-1", ">", "1.0-2"},
		{"3.0-1", "<", "3.0-1.0"},
		{"1.0-a", ">", "1.0-0"},
		{"2.0-1", ">", "1.9-99"},
	}},
	{"malformed versions are still ordered", []fact{
		{"", "=", "0"},
		{"", "<", "1"},
		{" 1.0 ", "=", "1.0"},
		{"1.0-", "=", "1.0"},
		{"a:1.0", ">", "1.0"},
		{":1.0", ">", "1.0"},
	}},
}

func TestDebianCompareFacts(t *testing.T) {
	for _, g := range debianFacts {
		t.Run(g.group, func(t *testing.T) {
			for _, f := range g.facts {
				a, b, want := f[0], f[2], opResult[f[1]]
				t.Run(fmt.Sprintf("%q %s %q", a, f[1], b), func(t *testing.T) {
					assert.Equal(t, want, versions.DebianCompare(a, b), "DebianCompare(%q, %q)", a, b)
					assert.Equal(t, -want, versions.DebianCompare(b, a), "DebianCompare(%q, %q)", b, a)
				})
			}
		})
	}
}
