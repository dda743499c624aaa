package debian

import (
	"fmt"
	"sort"
	"strings"
	"unsafe"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/projections/versions"
)

// keyer assigns package keys in index order (see the package doc for the
// rule). It holds back each run of adjacent stanzas with the same name and
// architecture until the run ends, so the newest version of the run can
// take the plain key.
type keyer struct {
	file   string
	run    []*parsed
	seen   map[string]events.Checksum // every key handed out, with its checksum
	parser *stanzaParser              // parses a light stanza whole when its key moved
}

func newKeyer(file string, parser *stanzaParser) *keyer {
	return &keyer{file: file, seen: make(map[string]events.Checksum, 1<<16), parser: parser}
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
	base := baseKey(run[0])
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
		if p.light && key != p.knownKey {
			if err := k.parseWhole(p); err != nil {
				return err
			}
		}
		var sum events.Checksum
		dup := false
		if i > 0 || plainTaken { // otherwise key is base, which seen lacks
			sum, dup = k.seen[key]
		}
		if dup {
			if sum == p.checksum {
				continue // the same package listed twice: keep one
			}
			return &ParseError{File: k.file, Line: p.line, Err: fmt.Errorf("%w: %s %s listed again with other fields", ErrDuplicatePackage, base, p.pkg.Version)}
		}
		k.seen[key] = p.checksum
		e := producers.Entry{Key: key, Project: Project(p.pkg.SourceName), Checksum: p.checksum, Line: p.line, Raw: p.raw, Package: p.pkg}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}

// baseKey returns "name/architecture" of p: for a known stanza, the key it
// had when that was its plain key (the previous state's string, so
// nothing is built).
func baseKey(p *parsed) string {
	name, arch := p.pkg.Name, p.pkg.Architecture
	if k := p.knownKey; p.light && len(k) == len(name)+1+len(arch) &&
		strings.HasPrefix(k, name) && k[len(name)] == '/' && strings.HasSuffix(k, arch) {
		return k
	}
	return name + "/" + arch
}

// parseWhole replaces a light stanza's package by the whole one: the
// stanza is known, but under another key, so the differ will emit it.
func (k *keyer) parseWhole(p *parsed) error {
	out, err := k.parser.parseChunk(chunk{data: unsafe.Slice(unsafe.StringData(p.text), len(p.text)), firstLine: p.line}, nil)
	if err != nil {
		return err
	}
	if len(out) != 1 {
		return &ParseError{File: k.file, Line: p.line, Err: fmt.Errorf("%w: a known stanza parsed again into %d packages", ErrSyntax, len(out))}
	}
	p.pkg, p.checksum, p.light = out[0].pkg, out[0].checksum, false
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
