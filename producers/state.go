package producers

import (
	"strings"
	"time"

	"github.com/repodelta/repodelta/events"
)

// State is a repository's last committed snapshot as the differ needs it:
// the checksum, version and project of every package key, and every
// project's packageset checksum with its keys. It holds no payloads, so a
// repository of 70,000 packages costs a few megabytes.
type State struct {
	Repository events.Repository
	// Sequence is the last committed snapshot's sequence (0: none yet).
	Sequence uint64
	// Seed is the hashing seed the checksums were computed with.
	Seed uint64
	Time time.Time
	// Counts are what the last committed snapshot held and emitted.
	Counts   events.Counts
	Packages map[string]PackageState
	Projects map[string]*ProjectState
}

// PackageState is what the state keeps of one package.
type PackageState struct {
	Project  string
	Version  string
	Checksum events.Checksum
	// Raw is the parser's hash of the package's bytes in the index
	// (Entry.Raw; 0: unknown).
	Raw uint64
}

// ProjectState is one project's packageset in the state.
type ProjectState struct {
	Name     string
	Checksum events.SetChecksum
	Keys     []string
}

// NewState returns the empty state of a repository that has no committed
// snapshot yet.
func NewState(repo events.Repository) *State {
	return newStateSized(repo, 0, 0)
}

// newStateSized returns an empty state with room for the given numbers of
// packages and projects.
func newStateSized(repo events.Repository, packages, projects int) *State {
	return &State{
		Repository: repo,
		Packages:   make(map[string]PackageState, packages),
		Projects:   make(map[string]*ProjectState, projects),
	}
}

// Put records a package, replacing what the key held before.
func (s *State) Put(key string, p PackageState) {
	s.Delete(key)
	s.insert(key, p)
}

// insert records a package whose key the state does not hold.
func (s *State) insert(key string, p PackageState) {
	p.Version = strings.Clone(p.Version)
	s.place(key, p)
}

// place is insert for a package whose strings the state may keep as they
// are (they do not point into an index being parsed).
func (s *State) place(key string, p PackageState) {
	ps := s.Projects[p.Project]
	if ps == nil {
		// Clone: the caller's strings may point into a whole index stanza.
		ps = &ProjectState{Name: strings.Clone(p.Project)}
		s.Projects[ps.Name] = ps
	}
	p.Project = ps.Name
	s.Packages[key] = p
	ps.Checksum = ps.Checksum.Add(key, p.Checksum)
	ps.Keys = append(ps.Keys, key)
}

// Delete removes a package; deleting an absent key does nothing.
func (s *State) Delete(key string) {
	old, ok := s.Packages[key]
	if !ok {
		return
	}
	delete(s.Packages, key)
	ps := s.Projects[old.Project]
	ps.Checksum = ps.Checksum.Remove(key, old.Checksum)
	for i, k := range ps.Keys {
		if k == key {
			ps.Keys = append(ps.Keys[:i], ps.Keys[i+1:]...)
			break
		}
	}
	if len(ps.Keys) == 0 {
		delete(s.Projects, old.Project)
	}
}

// Checksum is the packageset checksum of the whole repository.
func (s *State) Checksum() events.SetChecksum {
	var sum events.SetChecksum
	for _, p := range s.Projects {
		sum = sum.Merge(p.Checksum)
	}
	return sum
}

// known returns the state as a Known for a snapshot hashed with seed: nil
// when the state's checksums were computed with another seed (a seed bump
// must re-parse everything) or it holds no raw hashes.
func (s *State) known(seed uint64) Known {
	if s.Seed != seed || len(s.Packages) == 0 {
		return nil
	}
	byRaw := make(knownState, len(s.Packages))
	for key, p := range s.Packages {
		if p.Raw != 0 {
			byRaw[p.Raw] = knownEntry{key: key, checksum: p.Checksum}
		}
	}
	if len(byRaw) == 0 {
		return nil
	}
	return byRaw
}

// knownState is a State indexed by raw hash.
type knownState map[uint64]knownEntry

type knownEntry struct {
	key      string
	checksum events.Checksum
}

func (k knownState) Lookup(raw uint64) (string, events.Checksum, bool) {
	e, ok := k[raw]
	return e.key, e.checksum, ok
}
