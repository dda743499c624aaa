package events

import "strings"

// Repository identifies a repository by what it is, not where it was read
// from: the same bookworm/main/amd64 index read from a file or a mirror is
// the same repository. Name is the operator's label for it (from the
// configuration); it is carried along but is not part of the identity.
type Repository struct {
	Name         string `json:"name,omitempty"`
	Family       string `json:"family"`       // debian, ubuntu, arch, alpine, …
	Distribution string `json:"distribution"` // debian, ubuntu, …
	Release      string `json:"release"`      // bookworm, trixie, 3.17, …
	Component    string `json:"component"`    // main, contrib, community, …
	Architecture string `json:"architecture"` // amd64, source, aarch64, …
}

// ID is the repository's identity: family/distribution/release/component/
// architecture, with empty parts written as "-".
func (r Repository) ID() string {
	parts := [...]string{r.Family, r.Distribution, r.Release, r.Component, r.Architecture}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('/')
		}
		if p == "" {
			p = "-"
		}
		b.WriteString(p)
	}
	return b.String()
}
