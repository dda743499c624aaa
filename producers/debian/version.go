package debian

import "strings"

// CompareVersions orders two Debian version strings as dpkg does:
// [epoch:]upstream[-revision], epochs numerically, then upstream and
// revision by alternating runs of non-digits (letters sort before other
// characters, '~' before everything, even the end) and digits (numerically).
// It returns -1, 0 or 1. Malformed versions are compared as written.
func CompareVersions(a, b string) int {
	ea, ua, ra := splitVersion(a)
	eb, ub, rb := splitVersion(b)
	if c := compareDigits(ea, eb); c != 0 {
		return c
	}
	if c := compareFragment(ua, ub); c != 0 {
		return c
	}
	return compareFragment(ra, rb)
}

func splitVersion(v string) (epoch, upstream, revision string) {
	epoch = "0"
	if i := strings.IndexByte(v, ':'); i >= 0 {
		epoch, v = v[:i], v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

func compareFragment(a, b string) int {
	for a != "" || b != "" {
		var na, nb string
		na, a = cutRun(a, false)
		nb, b = cutRun(b, false)
		if c := compareNonDigits(na, nb); c != 0 {
			return c
		}
		na, a = cutRun(a, true)
		nb, b = cutRun(b, true)
		if c := compareDigits(na, nb); c != 0 {
			return c
		}
	}
	return 0
}

// cutRun splits off the leading run of digits (or of non-digits).
func cutRun(s string, digits bool) (string, string) {
	i := 0
	for i < len(s) && isDigit(s[i]) == digits {
		i++
	}
	return s[:i], s[i:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// order is dpkg's weight of one character of a non-digit run; the end of
// the run weighs 0.
func order(c byte) int {
	switch {
	case c == '~':
		return -1
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		return int(c)
	}
	return int(c) + 256
}

func compareNonDigits(a, b string) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var oa, ob int
		if i < len(a) {
			oa = order(a[i])
		}
		if i < len(b) {
			ob = order(b[i])
		}
		if oa != ob {
			return sign(oa - ob)
		}
	}
	return 0
}

// compareDigits compares two runs of digits numerically, at any length.
func compareDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
