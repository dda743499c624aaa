package debian

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/cespare/xxhash/v2"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
)

// span locates a field's value within its stanza.
type span struct {
	start, end int32 // byte offsets of the value within the stanza
	line       int32 // line number the field starts on
	multi      bool  // the value has continuation lines
}

// parsed is one stanza turned into a package, before keys are assigned.
type parsed struct {
	pkg      *events.Package
	checksum events.Checksum
	line     int
	raw      uint64 // rawSum of the stanza
	// A stanza the previous snapshot listed byte for byte (Options.Known)
	// is only parsed lightly: pkg holds just what keys need (name,
	// version, architecture, kind, source name), checksum is the known
	// one, and knownKey the key it had. text is the stanza, to parse it
	// whole should it get another key this time.
	light    bool
	knownKey string
	text     string
}

// parserVersion is mixed into raw hashes: bump it whenever a change of
// the parser changes what some stanza becomes, so that no stanza is
// skipped as known on the strength of an older parser's result.
const parserVersion = 1

// stanzaParser parses the stanzas of chunks. It reuses its buffers and is
// not safe for concurrent use: each worker has its own.
type stanzaParser struct {
	file   string
	hasher *events.Hasher
	known  producers.Known
	salt   uint64 // mixed into raw hashes: seed and parser versions
	spans  [numFields]span
	slab   []events.Package // packages are allocated in slabs, not one by one
}

func newStanzaParser(file string, seed uint64, known producers.Known) *stanzaParser {
	var b [10]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	b[8], b[9] = parserVersion, events.CanonicalVersion
	return &stanzaParser{file: file, hasher: events.NewHasher(seed), known: known, salt: xxhash.Sum64(b[:])}
}

// rawSum hashes a stanza's bytes, salted with the seed and the parser and
// encoding versions.
func (p *stanzaParser) rawSum(s string) uint64 { return xxhash.Sum64String(s) ^ p.salt }

// stanza parses one stanza whose field spans are recorded: lightly when
// the previous snapshot listed the same bytes, whole otherwise.
func (p *stanzaParser) stanza(s string, line int) (parsed, error) {
	raw := p.rawSum(s)
	if p.known != nil {
		if key, sum, ok := p.known.Lookup(raw); ok {
			return p.light(s, line, raw, key, sum), nil
		}
	}
	out, err := p.finish(s, line)
	out.raw = raw
	return out, err
}

// light builds the package of a known stanza from its spans: only what
// key assignment and the differ read.
func (p *stanzaParser) light(s string, line int, raw uint64, key string, sum events.Checksum) parsed {
	pkg := p.alloc()
	v := func(f field) string { return p.value(s, f) }
	pkg.Name, pkg.Version, pkg.Architecture, pkg.Kind = v(fPackage), v(fVersion), v(fArchitecture), events.KindBinary
	if p.spans[fBinary].line != 0 {
		pkg.Kind, pkg.Architecture = events.KindSource, "source"
	}
	pkg.SourceName = pkg.Name
	if src := v(fSource); src != "" {
		pkg.SourceName, _ = splitSource(src, pkg.Version)
	}
	return parsed{pkg: pkg, checksum: sum, line: line, raw: raw, light: true, knownKey: key, text: s}
}

// alloc returns a zeroed package from the parser's slab.
func (p *stanzaParser) alloc() *events.Package {
	if len(p.slab) == 0 {
		p.slab = make([]events.Package, 256)
	}
	pkg := &p.slab[0]
	p.slab = p.slab[1:]
	return pkg
}

func (p *stanzaParser) errorf(line int, err error, format string, args ...any) error {
	if format != "" {
		err = fmt.Errorf("%w: %s", err, fmt.Sprintf(format, args...))
	}
	return &ParseError{File: p.file, Line: line, Err: err}
}

// parseChunk appends the packages of every stanza in c to out. The
// packages' strings point into c.data, which must not change afterwards.
func (p *stanzaParser) parseChunk(c chunk, out []parsed) ([]parsed, error) {
	data := c.data
	// One string over the whole chunk: every field value is a substring of
	// it, so parsing copies nothing. The chunk's buffer is never reused.
	text := unsafe.String(unsafe.SliceData(data), len(data))
	line := c.firstLine
	start, startLine := -1, 0
	last := fUnknown
	for pos := 0; pos < len(data); line++ {
		end := len(data)
		if nl := bytes.IndexByte(data[pos:], '\n'); nl >= 0 {
			end = pos + nl
		}
		l := data[pos:end]
		switch {
		case isBlank(l):
			if start >= 0 {
				pkg, err := p.stanza(text[start:pos], startLine)
				if err != nil {
					return out, err
				}
				out = append(out, pkg)
				start = -1
			}
		case l[0] == ' ' || l[0] == '\t':
			if start < 0 {
				return out, p.errorf(line, ErrSyntax, "continuation line outside a field")
			}
			if last != fUnknown {
				p.spans[last].end = int32(end - start)
				p.spans[last].multi = true
			}
		default:
			if start < 0 {
				start, startLine = pos, line
				p.spans = [numFields]span{}
			}
			colon := bytes.IndexByte(l, ':')
			if colon <= 0 {
				return out, p.errorf(line, ErrSyntax, "expected \"Field: value\", got %q", truncate(l, 60))
			}
			last = lookupField(l[:colon])
			if last == fUnknown {
				break
			}
			if p.spans[last].line != 0 {
				return out, p.errorf(line, ErrRepeatedField, "%s (first on line %d)", fieldNames[last], p.spans[last].line)
			}
			p.spans[last] = span{start: int32(pos + colon + 1 - start), end: int32(end - start), line: int32(line)}
		}
		pos = end + 1
	}
	if start >= 0 {
		pkg, err := p.stanza(text[start:], startLine)
		if err != nil {
			return out, err
		}
		out = append(out, pkg)
	}
	return out, nil
}

// finish builds the package of one stanza from the recorded spans.
func (p *stanzaParser) finish(s string, line int) (parsed, error) {
	if !utf8.ValidString(s) {
		return parsed{}, p.errorf(line+invalidUTF8Line(s), ErrInvalidUTF8, "")
	}
	v := func(f field) string { return p.value(s, f) }
	pkg := p.alloc()
	pkg.Name, pkg.Version, pkg.Architecture = v(fPackage), v(fVersion), v(fArchitecture)
	for _, f := range [...]field{fPackage, fVersion} {
		if p.spans[f].line == 0 || v(f) == "" {
			return parsed{}, p.errorf(line, ErrMissingField, "%s in the stanza starting here", fieldNames[f])
		}
	}
	if p.spans[fBinary].line != 0 {
		pkg.Kind = events.KindSource
		pkg.Architecture = "source"
		pkg.Binaries = splitList(v(fBinary))
		pkg.Filename = v(fDirectory)
	} else {
		pkg.Kind = events.KindBinary
		pkg.Filename = v(fFilename)
		if pkg.Architecture == "" {
			return parsed{}, p.errorf(line, ErrMissingField, "Architecture in the stanza starting here")
		}
	}
	pkg.SourceName, pkg.SourceVersion = pkg.Name, pkg.Version
	if src := v(fSource); src != "" {
		pkg.SourceName, pkg.SourceVersion = splitSource(src, pkg.Version)
	}
	pkg.Maintainer = events.ParsePerson(v(fMaintainer))
	if u := v(fUploaders); u != "" {
		pkg.Uploaders = events.ParsePeople(u)
	}
	pkg.Links = p.links(s)
	pkg.Section, pkg.Priority = v(fSection), v(fPriority)
	pkg.Summary = firstLine(v(fDescription))
	var err error
	if pkg.InstalledSize, err = p.number(s, fInstalledSize); err != nil {
		return parsed{}, err
	}
	if pkg.Size, err = p.number(s, fSize); err != nil {
		return parsed{}, err
	}
	pkg.SHA256, pkg.MultiArch = v(fSHA256), v(fMultiArch)
	pkg.Essential = v(fEssential) == "yes"
	if t := v(fTag); t != "" {
		pkg.Tags = splitList(t)
	}
	pkg.Relations = events.Relations{
		Depends: v(fDepends), PreDepends: v(fPreDepends), Recommends: v(fRecommends),
		Suggests: v(fSuggests), Enhances: v(fEnhances), Provides: v(fProvides),
		Conflicts: v(fConflicts), Breaks: v(fBreaks), Replaces: v(fReplaces),
		BuildDeps: joinNonEmpty(v(fBuildDepends), v(fBuildDependsIndep)),
	}
	return parsed{pkg: pkg, checksum: p.hasher.Sum(pkg), line: line}, nil
}

// value returns a field's value: trimmed, with continuation lines folded
// into single spaces (Description keeps only its first line, see firstLine).
func (p *stanzaParser) value(s string, f field) string {
	sp := p.spans[f]
	if sp.line == 0 {
		return ""
	}
	val := trimSpace(s[sp.start:sp.end])
	if !sp.multi || f == fDescription {
		return val
	}
	return strings.Join(strings.Fields(val), " ")
}

func (p *stanzaParser) number(s string, f field) (uint64, error) {
	val := p.value(s, f)
	if val == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(val, 10, 64)
	if err != nil {
		return 0, p.errorf(int(p.spans[f].line), ErrBadNumber, "%s: %q", fieldNames[f], truncate([]byte(val), 40))
	}
	return n, nil
}

// links collects Homepage and the Vcs-* fields, in a fixed order.
func (p *stanzaParser) links(s string) []events.Link {
	var links []events.Link
	if h := p.value(s, fHomepage); h != "" {
		links = append(links, events.Link{Kind: events.LinkHomepage, URL: h})
	}
	for f := fVcsGit; f <= fVcsMtn; f++ {
		if u := p.value(s, f); u != "" {
			links = append(links, events.Link{Kind: vcsKind(f), URL: u})
		}
	}
	return links
}

// splitSource splits a binary package's "Source: name (version)" field.
func splitSource(src, version string) (string, string) {
	if i := strings.IndexByte(src, '('); i >= 0 {
		name := strings.TrimSpace(src[:i])
		ver := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(src[i+1:]), ")"))
		return name, ver
	}
	return src, version
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, " \t\r")
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}

// invalidUTF8Line returns how many lines into stanza the first invalid
// UTF-8 sequence is.
func invalidUTF8Line(stanza string) int {
	for i := 0; i < len(stanza); {
		r, size := utf8.DecodeRuneInString(stanza[i:])
		if r == utf8.RuneError && size <= 1 {
			return strings.Count(stanza[:i], "\n")
		}
		i += size
	}
	return 0
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// trimSpace trims spaces, tabs and carriage returns from both ends.
func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	for j > i && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r') {
		j--
	}
	return s[i:j]
}
