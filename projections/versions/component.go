package versions

import "strings"

// rank is the first key a component is ordered by; the text breaks ties
// between components of one rank. The order of the constants is the rule:
//
//	lower bound < pre-release < zero < post-release < non-zero
//	            < letter suffix < upper bound
//
// A number is "zero" or "non-zero" by value, so a padding zero sits
// between a pre-release word and a post-release word: "1.0rc1" < "1.0"
// (= "1.0.0") < "1.0patch1" < "1.0.1". Letter suffixes rank above every
// number, so "1.0a" follows "1.0.1" and precedes "1.1". The bounds are
// never written in a version; they exist only as the padding of a version
// compared with [LowerBound] or [UpperBound].
type rank uint8

const (
	rankLowerBound rank = iota
	rankPreRelease
	rankZero
	rankPostRelease
	rankNonZero
	rankLetterSuffix
	rankUpperBound
)

// alphabetic reports whether components of the rank are words.
func (r rank) alphabetic() bool {
	return r == rankPreRelease || r == rankPostRelease || r == rankLetterSuffix
}

// component is one unit of a version: a run of ASCII digits, a run of ASCII
// letters, or padding. For a number, text holds its digits without leading
// zeros (empty for zero); for a word, its letters as written; for padding,
// nothing.
type component struct {
	rank rank
	text string
}

// compareComponents orders two components: by rank first; two words of a
// rank by their first letter alone, ignoring case, so "a" equals "alpha"
// and "pl" equals "patch"; two numbers by value, compared digit by digit
// so that no length overflows.
func compareComponents(a, b component) int {
	switch {
	case a.rank != b.rank:
		return sign(int(a.rank) - int(b.rank))
	case a.rank.alphabetic():
		return sign(int(lower(a.text[0])) - int(lower(b.text[0])))
	default:
		return compareDigits(a.text, b.text)
	}
}

// compareDigits orders two digit strings that carry no leading zeros.
func compareDigits(a, b string) int {
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

// keyword is what a word means on its own.
type keyword uint8

const (
	keywordUnknown keyword = iota
	keywordPreRelease
	keywordPostRelease
)

// classify tells what a word means, ignoring case. Pre-release words are
// "alpha", "beta", "rc" and any word starting with "pre" ("pre",
// "preview"). Post-release words are "pl" (patch level), "errata", any word
// starting with "patch" or "post" ("patchset", "postfix"), and "p" when
// the version carries [PIsPatch]. Every other word, including "a" and "b",
// is unknown: where it stands decides its rank.
func classify(word string, flags Flag) keyword {
	switch {
	case strings.EqualFold(word, "alpha"), strings.EqualFold(word, "beta"),
		strings.EqualFold(word, "rc"), hasPrefixFold(word, "pre"):
		return keywordPreRelease
	case strings.EqualFold(word, "pl"), strings.EqualFold(word, "errata"),
		hasPrefixFold(word, "patch"), hasPrefixFold(word, "post"),
		flags&PIsPatch != 0 && strings.EqualFold(word, "p"):
		return keywordPostRelease
	default:
		return keywordUnknown
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= lower(c) && lower(c) <= 'z' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	default:
		return 0
	}
}
