package debian

import (
	"fmt"
	"sort"
	"strings"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/projections/versions"
)

// keyer assigns package keys in index order (see the package doc for the
// rule). It holds back each run of adjacent stanzas with the same name and
// architecture until the run ends, so the newest version of the run can
// take the plain key.
type keyer struct {
	file string
	run  []*parsed
	seen map[string]events.Checksum // every key handed out, with its checksum
}

func newKeyer(file string) *keyer {
	return &keyer{file: file, seen: make(map[string]events.Checksum, 1<<16)}
}

func (k *keyer) add(p *parsed, fn func(*producers.Entry) error) error {
	if len(k.run) > 0 {
		first := k.run[0].pkg
		if first.Name != p.pkg.Name || first.Architecture != p.pkg.Architecture {
			if err := k.flush(fn); err != nil {
				return err
			}
		}
	}
	k.run = append(k.run, p)
	return nil
}

// flush hands out the held-back run.
func (k *keyer) flush(fn func(*producers.Entry) error) error {
	run := k.run
	k.run = k.run[:0]
	if len(run) == 0 {
		return nil
	}
	if len(run) > 1 {
		sort.SliceStable(run, func(i, j int) bool {
			return versions.DebianCompare(run[i].pkg.Version, run[j].pkg.Version) > 0
		})
	}
	base := run[0].pkg.Name + "/" + run[0].pkg.Architecture
	_, plainTaken := k.seen[base]
	for i, p := range run {
		if i > 0 && p.pkg.Version == run[i-1].pkg.Version {
			if p.checksum == run[i-1].checksum {
				continue // the same package listed twice: keep one
			}
			return &ParseError{File: k.file, Line: p.line, Err: fmt.Errorf("%w: %s %s listed again with other fields", ErrDuplicatePackage, base, p.pkg.Version)}
		}
		key := base
		if i > 0 || plainTaken {
			key = base + "@" + p.pkg.Version
		}
		if sum, dup := k.seen[key]; dup {
			if sum == p.checksum {
				continue // the same package listed twice: keep one
			}
			return &ParseError{File: k.file, Line: p.line, Err: fmt.Errorf("%w: %s %s listed again with other fields", ErrDuplicatePackage, base, p.pkg.Version)}
		}
		k.seen[key] = p.checksum
		e := producers.Entry{Key: key, Project: Project(p.pkg.SourceName), Checksum: p.checksum, Line: p.line, Package: p.pkg}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

// Project returns the project of a Debian source package name: the name
// lower-cased and trimmed.
func Project(source string) string {
	source = strings.TrimSpace(source)
	for i := 0; i < len(source); i++ {
		if c := source[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(source)
		}
	}
	return source
}
