package events

// Kind tells a binary package from a source package. Both are first-class:
// a binary package names its source, a source package lists its binaries.
type Kind string

// The kinds of package.
const (
	KindBinary Kind = "binary"
	KindSource Kind = "source"
)

// Person is a maintainer or uploader, parsed from "Name <email>".
// Either part may be empty; Email is kept as written (normalising it is a
// projection's decision, not the producer's).
type Person struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Link is a URL a package points at, with its kind: "homepage", or a
// version control kind such as "vcs-git", "vcs-svn" or "vcs-browser".
type Link struct {
	Kind string `json:"kind"`
	URL  string `json:"url"`
}

// Relations are a package's relationship fields, kept as written in the
// index (comma separated, with alternatives and version constraints).
type Relations struct {
	Depends    string `json:"depends,omitempty"`
	PreDepends string `json:"pre_depends,omitempty"`
	Recommends string `json:"recommends,omitempty"`
	Suggests   string `json:"suggests,omitempty"`
	Enhances   string `json:"enhances,omitempty"`
	Provides   string `json:"provides,omitempty"`
	Conflicts  string `json:"conflicts,omitempty"`
	Breaks     string `json:"breaks,omitempty"`
	Replaces   string `json:"replaces,omitempty"`
	BuildDeps  string `json:"build_depends,omitempty"`
}

// Package is one entry of a repository index after normalisation: what a
// package appeared or changed event carries as its payload, and what the
// canonical encoding (see AppendCanonical) checksums.
//
// Every field is a plain value, so two packages with the same fields encode
// and hash identically whatever their origin.
type Package struct {
	Name          string    `json:"name"`
	Version       string    `json:"version"`
	Architecture  string    `json:"architecture"`
	Kind          Kind      `json:"kind"`
	SourceName    string    `json:"source_name"`
	SourceVersion string    `json:"source_version"`
	Maintainer    Person    `json:"maintainer"`
	Uploaders     []Person  `json:"uploaders,omitempty"`
	Links         []Link    `json:"links,omitempty"`
	Section       string    `json:"section,omitempty"`
	Priority      string    `json:"priority,omitempty"`
	Summary       string    `json:"summary,omitempty"`
	InstalledSize uint64    `json:"installed_size,omitempty"` // KiB, as Debian states it
	Size          uint64    `json:"size,omitempty"`           // bytes of the package file
	Filename      string    `json:"filename,omitempty"`       // path of the package file (or source directory) in the archive
	SHA256        string    `json:"sha256,omitempty"`         // of the package file, as the index states it
	MultiArch     string    `json:"multi_arch,omitempty"`
	Essential     bool      `json:"essential,omitempty"`
	Tags          []string  `json:"tags,omitempty"`
	Binaries      []string  `json:"binaries,omitempty"` // for source packages: the binary packages built
	Relations     Relations `json:"relations"`
}

// Homepage returns the package's homepage link, or "".
func (p *Package) Homepage() string {
	for _, l := range p.Links {
		if l.Kind == LinkHomepage {
			return l.URL
		}
	}
	return ""
}

// LinkHomepage is the Kind of a package's homepage link.
const LinkHomepage = "homepage"
