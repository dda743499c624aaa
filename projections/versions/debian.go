package versions

import "strings"

// DebianCompare orders two Debian package versions exactly as dpkg does
// (dpkg --compare-versions, deb-version(7)) and returns -1, 0 or +1. Use it
// within one Debian-family repository; across repositories use [Compare]
// on [Normalize]d versions.
//
// A version is [epoch:]upstream[-revision]:
//
//   - The epoch is the digits before the first colon; it is compared first,
//     as a number of any length, and a missing epoch is 0, so "1:0.9" >
//     "2.0".
//   - The revision is everything after the last hyphen; a missing revision
//     compares like "0", so "1.0" = "1.0-0". The upstream part is what lies
//     between, and is compared before the revision.
//   - Upstream and revision are each compared by alternating runs, from
//     the left: a run of non-digits, then a run of digits, and so on. Runs
//     of non-digits compare byte by byte, where '~' sorts before anything,
//     even the end of the string ("1.0~rc1" < "1.0"), the end of the string
//     sorts next, then ASCII letters in byte order (upper case before lower
//     case), then every other byte ("1.0a" < "1.0+b1" and "1.0" < "1.0+x").
//     Runs of digits compare as numbers of any length, a missing run
//     counting as 0.
//
// dpkg rejects malformed versions; DebianCompare still orders them, reading
// them leniently: leading and trailing white space is ignored (as dpkg
// does), a colon not preceded only by digits starts no epoch and belongs to
// the upstream part, and a trailing hyphen leaves an empty revision.
func DebianCompare(a, b string) int {
	va, vb := splitDebian(a), splitDebian(b)
	if c := compareDigits(va.epoch, vb.epoch); c != 0 {
		return c
	}
	if c := compareDebianPart(va.upstream, vb.upstream); c != 0 {
		return c
	}
	return compareDebianPart(va.revision, vb.revision)
}

// debianVersion is a Debian version split into its parts; epoch carries no
// leading zeros.
type debianVersion struct {
	epoch, upstream, revision string
}

func splitDebian(s string) debianVersion {
	var v debianVersion
	s = strings.TrimSpace(s)
	v.epoch, s = cutEpoch(s)
	v.epoch = strings.TrimLeft(v.epoch, "0")
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		s, v.revision = s[:i], s[i+1:]
	}
	v.upstream = s
	return v
}

// cutEpoch splits "N:rest" into its epoch N and rest when everything
// before the first colon is a non-empty run of digits; otherwise there is
// no epoch.
func cutEpoch(s string) (epoch, rest string) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || !allDigits(s[:i]) {
		return "", s
	}
	return s[:i], s[i+1:]
}

// compareDebianPart compares an upstream version or a revision the way
// dpkg's verrevcmp does: alternating runs of non-digits and digits.
func compareDebianPart(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			if c := sign(debianOrder(a, i) - debianOrder(b, j)); c != 0 {
				return c
			}
			i, j = i+1, j+1
		}
		ni, nj := digitsEnd(a, i), digitsEnd(b, j)
		da := strings.TrimLeft(a[i:ni], "0")
		db := strings.TrimLeft(b[j:nj], "0")
		if c := compareDigits(da, db); c != 0 {
			return c
		}
		i, j = ni, nj
	}
	return 0
}

// debianOrder is the weight of the byte at s[i] in a run of non-digits:
// '~' lowest, then the end of the string (and a digit, which ends the run),
// then letters, then every other byte.
func debianOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch c := s[i]; {
	case c == '~':
		return -1
	case isDigit(c):
		return 0
	case isLetter(c):
		return int(c)
	default:
		return int(c) + 256
	}
}

// digitsEnd returns the index just past the run of digits starting at i.
func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
