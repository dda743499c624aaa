package versions

import "strings"

// normalizeDebian reduces a Debian version to the upstream release it
// packages, in this order:
//
//  1. Surrounding white space and the epoch ("1:") go: the epoch only
//     repairs Debian's own ordering mistakes and means nothing upstream.
//  2. The Debian revision goes: everything from the last '-', as dpkg
//     reads it ("1.0-beta-2" has upstream "1.0-beta"). It numbers Debian's
//     builds of one upstream release.
//  3. "+really": a version "A+reallyB" says "sorts as A, contains B"; it is
//     how Debian rolls a package back without an epoch. Upstream, it is B,
//     so only what follows the last "+really" is kept: "2.0+really1.5"
//     becomes "1.5". A "+really" with nothing after it is left alone.
//  4. Repack and rebuild markers go, wherever they appear, when introduced
//     by the punctuation listed and followed by the end of the version or a
//     byte that is neither a letter nor a digit (so "+dsl" and "+dfsgx" are
//     kept):
//     - "dfsg" and "repack" after '+', '~' or '.', and "ds" after '+' or
//     '~', each with an optional counter of digits and dot-separated
//     digits ("+dfsg", "~dfsg1", ".dfsg.2", "+ds", "+repack3"). They mark
//     an upstream tarball Debian repacked, mostly to drop files, not a
//     different upstream release; left in, [Compare] would read "dfsg" as
//     an unknown word ranking as a pre-release and call "1.0+dfsg" older
//     than upstream's "1.0".
//     - "debNuM" after '+' or '~' ("+deb12u1"): a stable-release update of
//     a native package.
//     - "bpoN", optionally followed by "+M", after '~' or '+'
//     ("~bpo12+1"): a backport build of a native package.
//     - "nmuN" after '+' ("+nmu1"): a non-maintainer upload of a native
//     package.
//     - "bN" after '+' at the very end ("+b2"): a binary-only rebuild of a
//     native package.
//
// What is kept, on purpose: '~' pre-releases ("1.0~rc1", "2.0~beta3") and
// snapshots ("1.0~git20240101.abc", "1.0+git20240101"), because they say
// where the packaged code lies relative to upstream releases, which is
// exactly what [Compare] needs; '~' itself needs no rewriting, since
// [Compare] reads it as a separator ("1.0~rc1" is "1.0.rc1", below "1.0").
func normalizeDebian(v string) string {
	v = stripEpoch(strings.TrimSpace(v))
	v = cutRelease(v)
	if i := strings.LastIndex(v, "+really"); i >= 0 && i+len("+really") < len(v) {
		v = v[i+len("+really"):]
	}
	return stripMarkers(v)
}

// marker is a repack or rebuild marker: a word after one of its
// introducing bytes, then a tail that tail measures.
type marker struct {
	introducers string
	word        string
	tail        func(s string) (n int, ok bool) // length of the tail s starts with
	atEnd       bool                            // the marker must end the version
}

// anyIntroducer holds every byte that introduces some marker of
// debianMarkers; stripMarkers looks for markers only after these.
const anyIntroducer = "+~."

var debianMarkers = [...]marker{
	{introducers: "+~.", word: "dfsg", tail: counterTail},
	{introducers: "+~.", word: "repack", tail: counterTail},
	{introducers: "+~", word: "ds", tail: counterTail},
	{introducers: "+~", word: "deb", tail: debUpdateTail},
	{introducers: "+~", word: "bpo", tail: backportTail},
	{introducers: "+", word: "nmu", tail: numberTail},
	{introducers: "+", word: "b", tail: numberTail, atEnd: true},
}

// stripMarkers removes every Debian marker from v. It allocates only when
// it removes something.
func stripMarkers(v string) string {
	var b strings.Builder
	copied := 0 // v[:copied] has been dealt with
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(anyIntroducer, v[i]) < 0 {
			continue
		}
		n := markerLen(v, i)
		if n == 0 {
			continue
		}
		b.WriteString(v[copied:i])
		copied = i + n
		i = copied - 1
	}
	if copied == 0 {
		return v
	}
	b.WriteString(v[copied:])
	return b.String()
}

// markerLen returns the length of the marker whose introducer is v[i], or 0.
func markerLen(v string, i int) int {
	for _, m := range debianMarkers {
		if n := m.match(v, i); n > 0 {
			return n
		}
	}
	return 0
}

func (m marker) match(v string, i int) int {
	if strings.IndexByte(m.introducers, v[i]) < 0 || !strings.HasPrefix(v[i+1:], m.word) {
		return 0
	}
	end := i + 1 + len(m.word)
	n, ok := m.tail(v[end:])
	if !ok {
		return 0
	}
	end += n
	if end < len(v) && (m.atEnd || isDigit(v[end]) || isLetter(v[end])) {
		return 0
	}
	return end - i
}

// counterTail measures an optional counter: digits, then any number of
// '.' followed by digits ("", "1", "1.2", ".1").
func counterTail(s string) (int, bool) {
	n := digitsEnd(s, 0)
	for n+1 < len(s) && s[n] == '.' && isDigit(s[n+1]) {
		n = digitsEnd(s, n+1)
	}
	return n, true
}

// numberTail measures one or more digits.
func numberTail(s string) (int, bool) {
	n := digitsEnd(s, 0)
	return n, n > 0
}

// debUpdateTail measures "NuM", as in "deb12u1".
func debUpdateTail(s string) (int, bool) {
	n := digitsEnd(s, 0)
	if n == 0 || n+1 >= len(s) || s[n] != 'u' {
		return 0, false
	}
	m := digitsEnd(s, n+1)
	return m, m > n+1
}

// backportTail measures "N" or "N+M", as in "bpo12" and "bpo12+1".
func backportTail(s string) (int, bool) {
	n := digitsEnd(s, 0)
	if n == 0 {
		return 0, false
	}
	if n+1 < len(s) && s[n] == '+' && isDigit(s[n+1]) {
		n = digitsEnd(s, n+1)
	}
	return n, true
}
