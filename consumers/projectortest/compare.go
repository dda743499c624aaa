package projectortest

import (
	"fmt"
	"strings"
	"testing"
)

// AssertSameDump reports every query whose text differs, with its first
// differing line (dumps are long; a full diff would bury the point).
func AssertSameDump(t testing.TB, want, got Dump) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s differs: %s", name, firstDifference(w, g))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected query %s", name)
		}
	}
}

// firstDifference describes where a and b first differ, line by line.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d (of %d and %d lines):\n  want %s\n  got  %s", i+1, len(al), len(bl), x, y)
		}
	}
	return "no difference"
}
