package versions_test

import (
	"strings"
	"testing"

	"github.com/repodelta/repodelta/projections/versions"
)

func FuzzCompare(f *testing.F) {
	for _, g := range compareFacts {
		for _, fc := range g.facts {
			f.Add(fc[0], fc[2], uint8(0), uint8(0))
		}
	}
	for _, fc := range flagFacts {
		f.Add(fc.a, fc.b, uint8(fc.fa), uint8(fc.fb))
	}
	f.Fuzz(func(t *testing.T, a, b string, fa, fb uint8) {
		flagA, flagB := versions.Flag(fa&0xf), versions.Flag(fb&0xf)
		got := versions.CompareFlags(a, b, flagA, flagB)
		if got < -1 || got > 1 {
			t.Fatalf("CompareFlags(%q, %q, %d, %d) = %d, want -1, 0 or 1", a, b, flagA, flagB, got)
		}
		if back := versions.CompareFlags(b, a, flagB, flagA); back != -got {
			t.Fatalf("CompareFlags(%q, %q) = %d but reversed = %d", a, b, got, back)
		}
		if self := versions.CompareFlags(a, a, flagA, flagA); self != 0 {
			t.Fatalf("CompareFlags(%q, %q, %d, %d) = %d, want 0", a, a, flagA, flagA, self)
		}
		if plain, flagless := versions.Compare(a, b), versions.CompareFlags(a, b, 0, 0); plain != flagless {
			t.Fatalf("Compare(%q, %q) = %d but CompareFlags without flags = %d", a, b, plain, flagless)
		}
	})
}

func FuzzDebianCompare(f *testing.F) {
	for _, g := range debianFacts {
		for _, fc := range g.facts {
			f.Add(fc[0], fc[2])
		}
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got := versions.DebianCompare(a, b)
		if got < -1 || got > 1 {
			t.Fatalf("DebianCompare(%q, %q) = %d, want -1, 0 or 1", a, b, got)
		}
		if back := versions.DebianCompare(b, a); back != -got {
			t.Fatalf("DebianCompare(%q, %q) = %d but reversed = %d", a, b, got, back)
		}
		if self := versions.DebianCompare(a, a); self != 0 {
			t.Fatalf("DebianCompare(%q, %q) = %d, want 0", a, a, self)
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, family := range []string{"debian", "fedora", "arch", "alpine", "nix"} {
		f.Add(family, "1:2.0+really1.5+dfsg.1~bpo12+1-3")
		f.Add(family, "1.2.3_rc1-r0")
	}
	f.Fuzz(func(t *testing.T, family, version string) {
		got := versions.Normalize(family, version)
		if !isSubsequence(got, version) {
			t.Fatalf("Normalize(%q, %q) = %q, which is not its input with parts removed", family, version, got)
		}
	})
}

// isSubsequence reports whether s is t with zero or more bytes removed.
func isSubsequence(s, t string) bool {
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(t, s[i])
		if j < 0 {
			return false
		}
		t = t[j+1:]
	}
	return true
}
