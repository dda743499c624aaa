package events

import "strings"

// ParsePerson splits an RFC 822 style "Name <email>" into its parts. A
// value without angle brackets is a name, unless it looks like a bare
// address. Surrounding white space is dropped; nothing else is changed.
func ParsePerson(s string) Person {
	s = strings.TrimSpace(s)
	lt := strings.LastIndexByte(s, '<')
	if lt >= 0 {
		if gt := strings.IndexByte(s[lt:], '>'); gt > 0 {
			return Person{
				Name:  strings.TrimSpace(strings.Trim(strings.TrimSpace(s[:lt]), `"`)),
				Email: strings.TrimSpace(s[lt+1 : lt+gt]),
			}
		}
	}
	if strings.IndexByte(s, '@') > 0 && strings.IndexByte(s, ' ') < 0 {
		return Person{Email: s}
	}
	return Person{Name: s}
}

// ParsePeople splits a comma separated list of people, such as Debian's
// Uploaders field. A comma inside a quoted name does not split.
func ParsePeople(s string) []Person {
	var out []Person
	start, quoted := 0, false
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] == '"' {
			quoted = !quoted
		}
		if i == len(s) || (s[i] == ',' && !quoted) {
			if p := ParsePerson(s[start:i]); p != (Person{}) {
				out = append(out, p)
			}
			start = i + 1
		}
	}
	return out
}

// String writes the person back as "Name <email>".
func (p Person) String() string {
	switch {
	case p.Email == "":
		return p.Name
	case p.Name == "":
		return "<" + p.Email + ">"
	}
	return p.Name + " <" + p.Email + ">"
}
