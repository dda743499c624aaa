package producers

import (
	"strings"

	"github.com/repodelta/repodelta/events"
)

// Summary counts what one index holds: packages, distinct projects,
// distinct maintainers (as written: name and address), and the packageset
// checksum of the whole index. Add it as the scan callback. Not safe for
// concurrent use.
type Summary struct {
	Packages    int
	projects    map[string]struct{}
	maintainers map[events.Person]struct{}
	checksum    events.SetChecksum
}

// NewSummary returns an empty Summary.
func NewSummary() *Summary {
	return &Summary{projects: map[string]struct{}{}, maintainers: map[events.Person]struct{}{}}
}

// Add counts one package.
func (s *Summary) Add(e *Entry) error {
	s.Packages++
	// Clone what is kept: the strings point into whole index blocks.
	if _, ok := s.projects[e.Project]; !ok {
		s.projects[strings.Clone(e.Project)] = struct{}{}
	}
	m := e.Package.Maintainer
	if _, ok := s.maintainers[m]; !ok {
		s.maintainers[events.Person{Name: strings.Clone(m.Name), Email: strings.Clone(m.Email)}] = struct{}{}
	}
	s.checksum = s.checksum.Add(e.Key, e.Checksum)
	return nil
}

// Projects is the number of distinct projects.
func (s *Summary) Projects() int { return len(s.projects) }

// Maintainers is the number of distinct maintainers.
func (s *Summary) Maintainers() int { return len(s.maintainers) }

// Checksum is the packageset checksum of everything added.
func (s *Summary) Checksum() events.SetChecksum { return s.checksum }
