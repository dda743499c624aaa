package projects

import (
	"github.com/repodelta/repodelta/projections/versions"
)

// Status is a package's status within its project, across every
// repository that has the project. The rules are Classify's.
type Status string

// The statuses, in the order of the Enum8 of package_statuses.
const (
	Newest   Status = "newest"
	Outdated Status = "outdated"
	Legacy   Status = "legacy"
	Devel    Status = "devel"
	Unique   Status = "unique"
	Ignored  Status = "ignored"
)

// Statuses lists every status, in a stable order.
var Statuses = []Status{Newest, Outdated, Legacy, Devel, Unique, Ignored}

// Member is one package of a project, as Classify needs it.
type Member struct {
	RepositoryID string // the repository that has the package
	Family       string // the repository's family: how the version is normalised and compared
	Version      string // the version as the index states it
}

// Verdict is what Classify says of a project's packages.
type Verdict struct {
	Statuses   []Status // per member, in the members' order
	Normalized []string // per member: versions.Normalize(family, version)
	Newest     string   // the newest version (normalised), "" when every version is devel or ignored
	Devel      string   // the highest devel version (normalised), "" when none is devel
}

// Classify gives the status of each package of one project; members are
// all of the project's packages in every repository. The rules, in order:
//
//  1. A version is normalised with versions.Normalize(family, version) and
//     compared with versions.CompareFlags under versions.FamilyFlags of
//     each side's family; two versions that compare equal are told apart
//     by their normalised text (the greater string wins), so every choice
//     below is deterministic.
//  2. Ignored: the normalised version is empty or holds no digit.
//  3. Devel: the normalised version has a pre-release word (one that
//     versions ranks as a pre-release keyword: alpha, beta, rc, pre…) and
//     is greater than every version without one — or no version without
//     one exists.
//  4. The newest version is the greatest of the rest (neither ignored nor
//     devel): the maximum over repositories of each repository's best.
//  5. Newest: equal to the newest version. Unique instead when every
//     package of the project is in repositories of one family.
//  6. Legacy: older than the newest, in a repository that also has a
//     package at the newest version (newest or unique).
//  7. Outdated: older than the newest, in a repository that does not.
func Classify(members []Member) Verdict {
	v := Verdict{Statuses: make([]Status, len(members)), Normalized: make([]string, len(members))}
	vs := make([]version, len(members))
	families := map[string]bool{}
	for i, m := range members {
		v.Normalized[i] = versions.Normalize(m.Family, m.Version)
		vs[i] = version{text: v.Normalized[i], flags: versions.FamilyFlags(m.Family)}
		families[m.Family] = true
		if !hasDigit(vs[i].text) {
			v.Statuses[i] = Ignored
		}
	}
	stable := -1 // the greatest version without a pre-release word
	for i := range vs {
		if v.Statuses[i] == "" && !isPreRelease(vs[i].text) && (stable < 0 || vs[i].above(vs[stable])) {
			stable = i
		}
	}
	newest, devel := -1, -1
	for i := range vs {
		switch {
		case v.Statuses[i] != "":
		case isPreRelease(vs[i].text) && (stable < 0 || vs[i].compare(vs[stable]) > 0):
			v.Statuses[i] = Devel
			if devel < 0 || vs[i].above(vs[devel]) {
				devel = i
			}
		case newest < 0 || vs[i].above(vs[newest]):
			newest = i
		}
	}
	if devel >= 0 {
		v.Devel = vs[devel].text
	}
	if newest >= 0 {
		v.Newest = vs[newest].text
		rankAgainst(v.Statuses, vs, members, vs[newest], len(families) == 1)
	}
	return v
}

// rankAgainst gives every member without a status yet its place relative
// to newest: newest (unique in a one-family project), legacy or outdated.
func rankAgainst(statuses []Status, vs []version, members []Member, newest version, oneFamily bool) {
	hasNewest := map[string]bool{}
	for i := range vs {
		if statuses[i] == "" && vs[i].compare(newest) == 0 {
			statuses[i] = Newest
			if oneFamily {
				statuses[i] = Unique
			}
			hasNewest[members[i].RepositoryID] = true
		}
	}
	for i := range vs {
		switch {
		case statuses[i] != "":
		case hasNewest[members[i].RepositoryID]:
			statuses[i] = Legacy
		default:
			statuses[i] = Outdated
		}
	}
}

// version is a normalised version with the flags of its family.
type version struct {
	text  string
	flags versions.Flag
}

func (a version) compare(b version) int {
	return versions.CompareFlags(a.text, b.text, a.flags, b.flags)
}

// above orders versions totally: by comparison, then by text.
func (a version) above(b version) bool {
	if c := a.compare(b); c != 0 {
		return c > 0
	}
	return a.text > b.text
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}

// isPreRelease reports whether a version holds a word that versions
// classifies as a pre-release keyword. Read alone and with AnyIsPatch,
// a word ranks below the padding zero only if it is such a keyword: an
// unknown word then ranks as a post-release, and a lone word is never a
// letter suffix. So the keyword list stays versions' own.
func isPreRelease(s string) bool {
	for i := 0; i < len(s); {
		if !isLetter(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if versions.CompareFlags(s[i:j], "", versions.AnyIsPatch, 0) < 0 {
			return true
		}
		i = j
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
