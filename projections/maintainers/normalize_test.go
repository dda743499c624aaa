package maintainers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/maintainers"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name             string
		person           events.Person
		maintainer, disp string
	}{
		{"the e-mail is lower-cased", events.Person{Name: "Mark Brown", Email: "Broonie@Debian.ORG"}, "broonie@debian.org", "Mark Brown"},
		{"white space around the e-mail goes", events.Person{Name: "A", Email: " a@x.org "}, "a@x.org", "A"},
		{"runs of white space in a name collapse", events.Person{Name: " Debian  Python\tTeam ", Email: "team+python@tracker.debian.org"},
			"team+python@tracker.debian.org", "Debian Python Team"},
		{"without an e-mail the name is the maintainer", events.Person{Name: "  Some   Team "}, "Some Team", "Some Team"},
		{"a name keeps its case", events.Person{Name: "UPPER lower"}, "UPPER lower", "UPPER lower"},
		{"an e-mail without a name has no display name", events.Person{Email: "x@y.org"}, "x@y.org", ""},
		{"nobody is no maintainer", events.Person{Name: "  ", Email: " "}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, name := maintainers.Normalize(tt.person)
			assert.Equal(t, tt.maintainer, m)
			assert.Equal(t, tt.disp, name)
		})
	}
}

// TestIDIsClickHousesCityHash64 pins ids to values ClickHouse 18.16
// computes with SELECT cityHash64('…').
func TestIDIsClickHousesCityHash64(t *testing.T) {
	tests := []struct {
		name string
		s    string
		id   uint64
	}{
		{"a short string", "abc", 4220206313085259313},
		{"the empty string", "", 11160318154034397263},
		{"an e-mail", "debian-qt-kde@lists.debian.org", 8374869785544338300},
		{"a string longer than 64 bytes", "https://www.example.org/some/very/long/path/that/exceeds/sixty/four/bytes/of/text/for/testing", 14724275350156069082},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.id, maintainers.ID(tt.s))
		})
	}
}
