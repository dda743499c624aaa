package versions_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/versions"
)

// fact is a known ordering of two versions: a op b, op one of "<", "=", ">".
type fact [3]string

// compareFacts are comparison facts for Compare, grouped by the rule they
// pin down. Each is checked in both directions.
var compareFacts = []struct {
	group string
	facts []fact
}{
	{"numbers compare by value", []fact{
		{"0.9", "<", "1.0"},
		{"1.0", "<", "1.1"},
		{"0.99", "<", "1.11"},
		{"1.9", "<", "1.10"},
		{"1.2", "<", "1.10"},
		{"1.0", "=", "1.0"},
		{"2", "<", "10"},
		{"1.0.9", "<", "1.0.10"},
		{"1.10.0", ">", "1.9.99"},
		{"0", "<", "1"},
		{"1", "<", "1.0.1"},
		{"10.0", ">", "9.99.99"},
		{"6.1.0", "<", "6.1.10"},
		{"20240101", ">", "20231231"},
		{"20240115", ">", "2024.1.16"},
		{"2024.01", ">", "2023.12.31"},
	}},
	{"leading zeros are ignored", []fact{
		{"1.001", "=", "1.1"},
		{"1.01", "=", "1.1"},
		{"01.1", "=", "1.1"},
		{"1.010", ">", "1.01"},
		{"1.00", "=", "1.0"},
		{"000", "=", "0"},
		{"0001.0002", "=", "1.2"},
		{"1.0010", "<", "1.011"},
		{"1.08", "<", "1.10"},
		{"2024.01.15", "<", "2024.1.16"},
	}},
	{"numbers of any length compare without overflow", []fact{
		{"99999999999999999999999999999999999998", "<", "99999999999999999999999999999999999999"},
		{"18446744073709551616", ">", "18446744073709551615"},
		{"9223372036854775808", ">", "9223372036854775807"},
		{"1.18446744073709551616", ">", "1.9"},
		{"000000000000000000000000000001", "=", "1"},
		{"1.1000000000000000000000000000000000000000", ">", "1.99999999999999999999999999999999999999"},
		{"123456789012345678901234567890", "<", "123456789012345678901234567891"},
		{"1.00000000000000000000000000000000000000000000", "=", "1"},
	}},
	{"missing components are zero", []fact{
		{"1.0", "=", "1.0.0"},
		{"1", "=", "1.0.0.0"},
		{"1.0.0.0.0.1", ">", "1.0"},
		{"1.0.0.1", ">", "1"},
		{"1.0.0", "=", "1.0.0.0"},
		{"1.0rc1", "<", "1.0.0"},
		{"1.0.0patch1", ">", "1.0"},
		{"1.0.0", "<", "1.0.0.0.0.0.0.1"},
		{"0.0", "=", "0"},
	}},
	{"any non-alphanumeric byte separates", []fact{
		{"1_2~3", "=", "1.2.3"},
		{"1-2", "=", "1.2"},
		{"1..2", "=", "1.2"},
		{"1.2.", "=", "1.2"},
		{".1.2", "=", "1.2"},
		{"1+2", "=", "1.2"},
		{"1/2", "=", "1.2"},
		{"1 2", "=", "1.2"},
		{"1:2:3", "=", "1.2.3"},
		{"1,2", "=", "1.2"},
		{"1.2\u00e9", "=", "1.2"},
		{"1.2\x00", "=", "1.2"},
		{"1.2.3alpha4", "=", "1.2.3~a4"},
		{"1.2-x.3~alpha4", "<", "1.2"},
		{"1.2-x.3~alpha4", ">", "1.1"},
	}},
	{"pre-release words rank below zero", []fact{
		{"1.0alpha1", "<", "1.0alpha2"},
		{"1.0alpha2", "<", "1.0beta1"},
		{"1.0beta1", "<", "1.0rc1"},
		{"1.0rc1", "<", "1.0"},
		{"1.0alpha1", "=", "1.0.alpha1"},
		{"1.0alpha1", "=", "1.0a1"},
		{"1.0alpha1", "=", "1.0.a1"},
		{"1.0alpha1", "=", "1.0alpha.1"},
		{"1.0alpha1", "=", "1.0.alpha.1"},
		{"1.0alpha1", "=", "1.0-alpha-1"},
		{"1.0alpha-1", "<", "1.0"},
		{"1.0-rc1", "<", "1.0"},
		{"1.0~rc1", "<", "1.0"},
		{"1.0.0-rc.1", "<", "1.0.0"},
		{"1.0rc1", ">", "0.9"},
		{"1.0rc1", ">", "1.0alpha"},
		{"1.0alpha", "<", "1.0alpha1"},
		{"1.0alpha", "=", "1.0alpha0"},
		{"1.0beta", "<", "1.0"},
		{"1.0rc10", ">", "1.0rc9"},
		{"1.0alpha1.1", ">", "1.0alpha1"},
		{"1.0b1", "=", "1.0beta1"},
		{"1.0a1", "<", "1.0b1"},
		{"2.0rc1", ">", "1.9.9"},
		{"1.0pre1", "<", "1.0rc1"},
		{"1.0pre1", "=", "1.0p1"},
		{"1.0preview2", "=", "1.0pre2"},
		{"1.0pre", "<", "1.0"},
		{"3.12.0a7", "<", "3.12.0b1"},
		{"3.12.0b4", "<", "3.12.0rc1"},
		{"3.12.0rc1", "<", "3.12.0"},
		{"3.11.9", "<", "3.12.0a1"},
	}},
	{"unknown words rank as pre-releases by first letter", []fact{
		{"1.0dev1", ">", "1.0alpha1"},
		{"1.0dev1", "<", "1.0rc1"},
		{"1.0.dev1", ">", "1.0a1"},
		{"1.0git20240101", "<", "1.0"},
		{"1.0.snapshot", "<", "1.0"},
		{"1.0.foo", "<", "1.0"},
		{"1.0-x", "<", "1.0"},
		{"v1.0", "<", "1.0"},
		{"v1.0", "<", "0.1"},
		{"1.0+dfsg", "<", "1.0"},
		{"1.0custom1", "<", "1.0"},
		{"1.0foo1", "=", "1.0fa1"},
		{"1.0git1", "<", "1.0rc1"},
	}},
	{"post-release words rank between zero and non-zero", []fact{
		{"1.0", "<", "1.0patch1"},
		{"1.0patch1", "<", "1.0.1"},
		{"1.0patch1", "=", "1.0post1"},
		{"1.0patch1", "=", "1.0pl1"},
		{"1.0patch1", "=", "1.0patchset1"},
		{"1.0post1", "=", "1.0postfix1"},
		{"1.0errata1", ">", "1.0"},
		{"1.0errata1", "<", "1.0patch1"},
		{"1.0post1", "<", "1.0post2"},
		{"1.0.post1", ">", "1.0"},
		{"1.0-patch1", ">", "1.0-rc1"},
		{"1.0pl2", ">", "1.0pl1"},
		{"1.0patch", ">", "1.0"},
		{"1.0patch", "<", "1.0.1"},
		{"1.0post", "<", "1.0a"},
		{"1.0p1", "<", "1.0"},
		{"1.0p1", "<", "1.0post1"},
		{"1.0p1", "<", "1.0patch1"},
		{"1.0patch1", ">", "1.0rc1"},
	}},
	{"a word glued to a number and not to a following one is a letter suffix", []fact{
		{"1.2", "<", "1.2a"},
		{"1.2a", "<", "1.2b"},
		{"1.2b", "<", "1.3"},
		{"1.0a", ">", "1.0.1"},
		{"1.0a", ">", "1.0.99"},
		{"1.0a", "<", "1.1"},
		{"1.0a", ">", "1.0"},
		{"1.0a-1", ">", "1.0"},
		{"1.0a.1", ">", "1.0a"},
		{"1.0a-1", "=", "1.0a.1"},
		{"1.0a1", "<", "1.0"},
		{"1.0.a", "<", "1.0"},
		{"1.0z", ">", "1.0a"},
		{"1.0c", ">", "1.0.1"},
		{"1a", ">", "1"},
		{"1a", "<", "2"},
		{"1.0foo", ">", "1.0.1"},
		{"1.0foo.1", ">", "1.0foo"},
		{"1.0alpha", "<", "1.0a"},
		{"1.0p", ">", "1.0.1"},
		{"0.9.8za", "=", "0.9.8zb"},
		{"1.1.1w", ">", "1.1.1v"},
		{"1.1.1w", ">", "1.1.1"},
		{"1.1.1w", "<", "1.1.2"},
		{"1.1.1w", ">", "1.1.1.1"},
		{"0a", ">", ""},
	}},
	{"letters compare ignoring case", []fact{
		{"1.0RC1", "=", "1.0rc1"},
		{"1.0ALPHA", "=", "1.0alpha"},
		{"1.0Patch1", "=", "1.0patch1"},
		{"1.0A", "=", "1.0a"},
		{"1.0Beta2", "<", "1.0RC1"},
		{"1.0PL1", ">", "1.0"},
		{"1.0PRE1", "=", "1.0pre1"},
		{"1.0ERRATA", ">", "1.0"},
		{"1.0B", ">", "1.0a"},
	}},
	{"empty and wordless strings", []fact{
		{"", "=", ""},
		{"", "=", "0"},
		{"", "=", "0.0"},
		{"", "<", "1"},
		{"", "<", "0.1"},
		{"", "=", "..."},
		{"", "=", "-_~+"},
		{"", ">", "a"},
		{"", ">", "alpha"},
		{"", "<", "patch"},
		{"a", "<", "b"},
		{"alpha", "<", "beta"},
		{"foo", "=", "f"},
		{"patch", "<", "1"},
		{"a", "<", "0"},
	}},
}

// flagFacts are comparison facts for CompareFlags.
var flagFacts = []struct {
	a, op, b string
	fa, fb   versions.Flag
}{
	{"1.0p1", ">", "1.0pre1", versions.PIsPatch, 0},
	{"1.0p1", "=", "1.0post1", versions.PIsPatch, 0},
	{"1.0p1", "=", "1.0patch1", versions.PIsPatch, 0},
	{"1.0p1", ">", "1.0", versions.PIsPatch, 0},
	{"1.0p1", "<", "1.0.1", versions.PIsPatch, 0},
	{"1.0p1", ">", "1.0p1", versions.PIsPatch, 0},
	{"1.0_p3", ">", "1.0", versions.PIsPatch, 0},
	{"1.0p", "<", "1.0.1", versions.PIsPatch, 0},
	{"1.0P2", "=", "1.0p2", versions.PIsPatch, versions.PIsPatch},
	{"1.0foo1", ">", "1.0", versions.AnyIsPatch, 0},
	{"1.2foopatchset3.barpatchset4", ">", "1.2", versions.AnyIsPatch, 0},
	{"1.2foopatchset3.barpatchset4", "<", "1.2.1", versions.AnyIsPatch, 0},
	{"1.0alpha1", "<", "1.0", versions.AnyIsPatch, 0},
	{"1.0pre1", "<", "1.0", versions.AnyIsPatch, 0},
	{"1.0a", ">", "1.0.1", versions.AnyIsPatch, 0},
	{"1.0a1", ">", "1.0", versions.AnyIsPatch, 0},
	{"1.0git1", "<", "1.0.1", versions.AnyIsPatch, 0},
	{"0.999", "<", "1.0", 0, versions.LowerBound},
	{"1.0", ">", "1.0", 0, versions.LowerBound},
	{"1.0alpha0", ">", "1.0", 0, versions.LowerBound},
	{"1.0alpha1", ">", "1.0", 0, versions.LowerBound},
	{"1.0.1", ">", "1.0", 0, versions.LowerBound},
	{"1.0", "<", "1.0.0", versions.LowerBound, versions.LowerBound},
	{"1.0", "=", "1.0", versions.LowerBound, versions.LowerBound},
	{"", "<", "", versions.LowerBound, 0},
	{"", "<", "a", versions.LowerBound, 0},
	{"1.0alpha1", "<", "1.0", 0, versions.UpperBound},
	{"1.0.1", "<", "1.0", 0, versions.UpperBound},
	{"1.0.99patch9", "<", "1.0", 0, versions.UpperBound},
	{"1.0", "<", "1.0", 0, versions.UpperBound},
	{"1.0a", "<", "1.0", 0, versions.UpperBound},
	{"1.1", ">", "1.0", 0, versions.UpperBound},
	{"1.0", "<", "1.0", versions.LowerBound, versions.UpperBound},
	{"1", "<", "2", versions.UpperBound, 0},
	{"1.0", "=", "1.0", versions.LowerBound | versions.UpperBound, versions.LowerBound},
	{"1.0", "<", "1.0", versions.LowerBound | versions.UpperBound, versions.UpperBound},
}

var opResult = map[string]int{"<": -1, "=": 0, ">": 1}

func TestCompareFacts(t *testing.T) {
	for _, g := range compareFacts {
		t.Run(g.group, func(t *testing.T) {
			for _, f := range g.facts {
				a, b, want := f[0], f[2], opResult[f[1]]
				t.Run(fmt.Sprintf("%q %s %q", a, f[1], b), func(t *testing.T) {
					assert.Equal(t, want, versions.Compare(a, b), "Compare(%q, %q)", a, b)
					assert.Equal(t, -want, versions.Compare(b, a), "Compare(%q, %q)", b, a)
				})
			}
		})
	}
}

func TestCompareFlagsFacts(t *testing.T) {
	for _, f := range flagFacts {
		want := opResult[f.op]
		name := fmt.Sprintf("%q(%s) %s %q(%s)", f.a, flagNames(f.fa), f.op, f.b, flagNames(f.fb))
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, want, versions.CompareFlags(f.a, f.b, f.fa, f.fb))
			assert.Equal(t, -want, versions.CompareFlags(f.b, f.a, f.fb, f.fa))
		})
	}
}

func TestCompareFlagsWithoutFlagsIsCompare(t *testing.T) {
	for _, g := range compareFacts {
		for _, f := range g.facts {
			assert.Equal(t, versions.Compare(f[0], f[2]), versions.CompareFlags(f[0], f[2], 0, 0))
		}
	}
}

func flagNames(f versions.Flag) string {
	names := ""
	for _, n := range []struct {
		flag versions.Flag
		name string
	}{
		{versions.PIsPatch, "p-is-patch"},
		{versions.AnyIsPatch, "any-is-patch"},
		{versions.LowerBound, "lower"},
		{versions.UpperBound, "upper"},
	} {
		if f&n.flag != 0 {
			if names != "" {
				names += "|"
			}
			names += n.name
		}
	}
	if names == "" {
		return "plain"
	}
	return names
}
