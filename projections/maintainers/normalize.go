package maintainers

import (
	"strings"

	"github.com/go-faster/city"

	"github.com/repodelta/repodelta/events"
)

// Normalize returns the maintainer a person counts as, and the display
// name they give. The maintainer is the e-mail address, trimmed and
// lower-cased; without one, the name with its white space trimmed and
// collapsed (runs of spaces become one space). The name is the person's
// name, trimmed and collapsed the same way, possibly empty. A person with
// neither an e-mail nor a name is nobody: maintainer is "".
func Normalize(p events.Person) (maintainer, name string) {
	name = collapse(p.Name)
	if email := strings.ToLower(strings.TrimSpace(p.Email)); email != "" {
		return email, name
	}
	return name, name
}

// ID returns the id of a normalised maintainer or of a display name:
// cityHash64 as ClickHouse computes it, so SELECT cityHash64('…') finds
// the row of a string.
func ID(s string) uint64 { return city.CH64([]byte(s)) }

// collapse trims s and replaces every run of white space in it by one
// space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// The roles a person holds in a package, as stored in the roles column.
const (
	roleMaintainer uint8 = 1
	roleUploader   uint8 = 2
)

// person is one person of a package: who, under which name, in which role.
type person struct {
	id     uint64
	nameID uint64 // 0: no name given
	role   uint8
}

// peopleOf returns the people of p — the Maintainer, then the Uploaders,
// each (maintainer, role) once — and adds every string they refer to to
// strs (id → string).
func peopleOf(p *events.Package, strs map[uint64]string) []person {
	var out []person
	add := func(ps events.Person, role uint8) {
		m, name := Normalize(ps)
		if m == "" {
			return
		}
		pp := person{id: ID(m), role: role}
		for _, q := range out {
			if q.id == pp.id && q.role == role {
				return
			}
		}
		strs[pp.id] = m
		if name != "" {
			pp.nameID = ID(name)
			strs[pp.nameID] = name
		}
		out = append(out, pp)
	}
	add(p.Maintainer, roleMaintainer)
	for _, u := range p.Uploaders {
		add(u, roleUploader)
	}
	return out
}
