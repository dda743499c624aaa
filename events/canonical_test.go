package events_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/events"
)

func TestChecksumIsStableAcrossReleases(t *testing.T) {
	// Pinned values: if the canonical encoding changes, these change, and so
	// would every checksum in every state store. Bump CanonicalVersion then.
	assert.Equal(t, "f45e092386f378ae", events.NewHasher(0).Sum(examplePackage()).String())
	assert.Equal(t, "1ecf2e3fc919b3df", events.NewHasher(1).Sum(examplePackage()).String())
}

func TestEveryFieldChangesTheChecksum(t *testing.T) {
	h := events.NewHasher(0)
	base := h.Sum(examplePackage())
	edits := map[string]func(p *events.Package){
		"the version":               func(p *events.Package) { p.Version = "2" },
		"the maintainer's email":    func(p *events.Package) { p.Maintainer.Email = "x@y" },
		"an uploader dropped":       func(p *events.Package) { p.Uploaders = nil },
		"a link's URL":              func(p *events.Package) { p.Links[0].URL = "http://x/" },
		"the order of links":        func(p *events.Package) { p.Links[0], p.Links[1] = p.Links[1], p.Links[0] },
		"the installed size":        func(p *events.Package) { p.InstalledSize++ },
		"essential":                 func(p *events.Package) { p.Essential = true },
		"a dependency":              func(p *events.Package) { p.Relations.Depends = "libc6" },
		"text moved between fields": func(p *events.Package) { p.Section, p.Priority = "libsrequired", "" },
		"a tag":                     func(p *events.Package) { p.Tags = append(p.Tags, "x") },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			p := examplePackage()
			edit(p)
			assert.NotEqual(t, base, h.Sum(p))
		})
	}
}

func TestTheSeedChangesEveryChecksum(t *testing.T) {
	p := examplePackage()
	assert.NotEqual(t, events.NewHasher(0).Sum(p), events.NewHasher(1).Sum(p))
	assert.Equal(t, events.NewHasher(1).Sum(p), events.NewHasher(1).Sum(p), "one seed, one checksum")
}

func TestSetChecksumIgnoresOrderAndSupportsRemoval(t *testing.T) {
	var a, b events.SetChecksum
	a = a.Add("x/amd64", 1).Add("y/amd64", 2).Add("z/all", 3)
	b = b.Add("z/all", 3).Add("x/amd64", 1).Add("y/amd64", 2)
	assert.Equal(t, a, b)
	assert.Equal(t, events.SetChecksum(0).Add("x/amd64", 1).Add("z/all", 3), a.Remove("y/amd64", 2))
	assert.NotEqual(t, a, events.SetChecksum(0).Add("x/amd64", 2).Add("y/amd64", 1).Add("z/all", 3), "checksums are bound to their keys")
}

func TestParsePerson(t *testing.T) {
	cases := []struct {
		in   string
		want events.Person
	}{
		{"Mark Brown <broonie@debian.org>", events.Person{Name: "Mark Brown", Email: "broonie@debian.org"}},
		{"  Debian QA Group <packages@qa.debian.org>  ", events.Person{Name: "Debian QA Group", Email: "packages@qa.debian.org"}},
		{`"Quoted, Name" <q@example.org>`, events.Person{Name: "Quoted, Name", Email: "q@example.org"}},
		{"<only@example.org>", events.Person{Email: "only@example.org"}},
		{"bare@example.org", events.Person{Email: "bare@example.org"}},
		{"Just A Name", events.Person{Name: "Just A Name"}},
		{"Broken <unterminated", events.Person{Name: "Broken <unterminated"}},
		{"", events.Person{}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			assert.Equal(t, c.want, events.ParsePerson(c.in))
		})
	}
}

func TestParsePeopleSplitsOutsideQuotes(t *testing.T) {
	got := events.ParsePeople(`A <a@x>, "B, Jr." <b@x>,, C <c@x>`)
	assert.Equal(t, []events.Person{{Name: "A", Email: "a@x"}, {Name: "B, Jr.", Email: "b@x"}, {Name: "C", Email: "c@x"}}, got)
}

func BenchmarkHasherSum(b *testing.B) {
	h := events.NewHasher(0)
	p := examplePackage()
	b.ReportAllocs()
	for b.Loop() {
		h.Sum(p)
	}
}
