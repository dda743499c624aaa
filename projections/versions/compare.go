package versions

// Flag tunes how one side of [CompareFlags] reads its version. Flags
// combine with |; the zero value reads a version plainly.
type Flag uint8

const (
	// PIsPatch reads the word "p" as "patch" (post-release) instead of
	// the default, an unknown word that ranks as a pre-release (or as a
	// letter suffix in "1.0p"). Gentoo's and Alpine's "_p" suffixes need it:
	// with it "1.0_p1" > "1.0", without it "1.0_p1" < "1.0".
	PIsPatch Flag = 1 << iota
	// AnyIsPatch ranks every unknown word as post-release instead of
	// pre-release, for versions like "1.2foopatchset3". Known pre-release
	// words ("alpha", "beta", "rc", "pre…") stay pre-release, and a letter
	// suffix stays a letter suffix.
	AnyIsPatch
	// LowerBound turns the version into the lowest version starting with
	// it: padding ranks below everything and the version gains one extra
	// padding component, so LowerBound("1.0") sits above "0.999" and every
	// release before 1.0, and below "1.0alpha0", "1.0" and anything else
	// that starts with "1.0" and a separator. It wins over UpperBound when
	// both are set.
	LowerBound
	// UpperBound is the opposite of LowerBound: the highest version
	// starting with the given one, above "1.0.99patch9" and below "1.1".
	UpperBound
)

// Compare orders two version strings by libversion's rules and returns -1
// if a is older than b, 0 if they are the same version and +1 if a is
// newer. It is CompareFlags with no flags.
//
// The rules, in the order they apply:
//
//  1. A version is a sequence of components: maximal runs of ASCII digits
//     and maximal runs of ASCII letters. Every other byte separates
//     components and carries no meaning of its own, so "1.2", "1_2",
//     "1-2" and "1~2" are one version; empty components do not exist, so
//     "1..2" is "1.2".
//  2. A number is compared by value, at any length: "1.001" = "1.1" and
//     "10" > "9"; it ranks "zero" or "non-zero".
//  3. A word ranks by what it says (see the rank order below): "alpha",
//     "beta", "rc" and "pre…" are pre-releases; "patch…", "post…", "pl" and
//     "errata" are post-releases; every other word is a pre-release too,
//     since a word nobody classified is more often an abbreviated "a"/"b"
//     or a snapshot tag than a release after the number it follows.
//  4. Letter suffix: a word that follows a number with no separator
//     between them, and is not followed directly by a digit, is a letter
//     suffix unless it is a known keyword: "1.0a", "1.0a.1" and "1.0a-1"
//     carry one, "1.0a1" (a pre-release "a", like "1.0alpha1") and "1.0.a"
//     (a separator before the word) do not. A letter suffix ranks above
//     any number, so 1.0 < 1.0.1 < 1.0a < 1.0b < 1.1.
//  5. Components compare pairwise from the left, by rank first:
//     pre-release < zero < post-release < non-zero < letter suffix.
//     Within a rank, words compare by their first letter only, ignoring
//     case ("1.0alpha1" = "1.0a1", "1.0A" = "1.0a"); numbers by value.
//  6. The shorter version is padded with zeros, so "1.0" = "1.0.0" and
//     the padding ranks between pre-releases and post-releases:
//     "1.0rc1" < "1.0" < "1.0patch1". The empty string is all padding and
//     equals "0".
func Compare(a, b string) int {
	return CompareFlags(a, b, 0, 0)
}

// CompareFlags is Compare with flags that tune how each side is read: fa
// applies to a only and fb to b only. With both flags zero it is Compare.
func CompareFlags(a, b string, fa, fb Flag) int {
	sa, sb := newScanner(a, fa), newScanner(b, fb)
	for !sa.done() || !sb.done() {
		if c := compareComponents(sa.next(), sb.next()); c != 0 {
			return c
		}
	}
	return 0
}

// scanner yields a version's components from left to right, then padding
// for ever. It keeps no state but a position, so scanning allocates
// nothing.
type scanner struct {
	s     string
	pos   int
	flags Flag
	owed  bool // a bounded version still owes its one extra padding component
}

func newScanner(s string, flags Flag) scanner {
	sc := scanner{s: s, flags: flags, owed: flags&(LowerBound|UpperBound) != 0}
	sc.skipSeparators()
	return sc
}

// done reports whether every component, including a bounded version's extra
// padding, has been yielded; next keeps yielding padding after that.
func (sc *scanner) done() bool {
	return sc.pos >= len(sc.s) && !sc.owed
}

func (sc *scanner) next() component {
	if sc.pos >= len(sc.s) {
		sc.owed = false
		return component{rank: sc.paddingRank()}
	}
	var c component
	if isDigit(sc.s[sc.pos]) {
		c = sc.number()
	} else {
		c = sc.word()
	}
	sc.skipSeparators()
	return c
}

func (sc *scanner) paddingRank() rank {
	switch {
	case sc.flags&LowerBound != 0:
		return rankLowerBound
	case sc.flags&UpperBound != 0:
		return rankUpperBound
	default:
		return rankZero
	}
}

func (sc *scanner) skipSeparators() {
	for sc.pos < len(sc.s) && !isDigit(sc.s[sc.pos]) && !isLetter(sc.s[sc.pos]) {
		sc.pos++
	}
}

// number consumes a run of digits, dropping its leading zeros.
func (sc *scanner) number() component {
	for sc.pos < len(sc.s) && sc.s[sc.pos] == '0' {
		sc.pos++
	}
	start := sc.pos
	for sc.pos < len(sc.s) && isDigit(sc.s[sc.pos]) {
		sc.pos++
	}
	if start == sc.pos {
		return component{rank: rankZero}
	}
	return component{rank: rankNonZero, text: sc.s[start:sc.pos]}
}

// word consumes a run of letters and ranks it by its meaning and, for an
// unknown word, by where it stands.
func (sc *scanner) word() component {
	start := sc.pos
	for sc.pos < len(sc.s) && isLetter(sc.s[sc.pos]) {
		sc.pos++
	}
	text := sc.s[start:sc.pos]
	switch classify(text, sc.flags) {
	case keywordPreRelease:
		return component{rank: rankPreRelease, text: text}
	case keywordPostRelease:
		return component{rank: rankPostRelease, text: text}
	}
	switch {
	case sc.isLetterSuffix(start):
		return component{rank: rankLetterSuffix, text: text}
	case sc.flags&AnyIsPatch != 0:
		return component{rank: rankPostRelease, text: text}
	default:
		return component{rank: rankPreRelease, text: text}
	}
}

// isLetterSuffix reports whether the word that starts at start and ends at
// the scanner's position is glued to a number before it and not to one
// after it.
func (sc *scanner) isLetterSuffix(start int) bool {
	gluedBefore := start > 0 && isDigit(sc.s[start-1])
	gluedAfter := sc.pos < len(sc.s) && isDigit(sc.s[sc.pos])
	return gluedBefore && !gluedAfter
}
