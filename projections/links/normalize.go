package links

import (
	"strings"

	"github.com/go-faster/city"

	"github.com/repodelta/repodelta/events"
)

// NormalizeURL returns the URL as the projection stores it: trimmed, its
// scheme and host lower-cased (they are case-insensitive), everything
// else — user info, port, path, query, fragment, a trailing slash — as
// written. A value without "scheme://" is only trimmed. "" means no link.
func NormalizeURL(raw string) string {
	u := strings.TrimSpace(raw)
	i := strings.Index(u, "://")
	if i <= 0 || !isScheme(u[:i]) {
		return u
	}
	rest := u[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	at := strings.LastIndexByte(authority, '@') + 1 // user info keeps its case
	return strings.ToLower(u[:i]) + "://" + authority[:at] + strings.ToLower(authority[at:]) + rest[end:]
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	for i, r := range s {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}

// NormalizeKind returns a link kind trimmed and lower-cased: homepage,
// vcs-git, vcs-browser, …
func NormalizeKind(kind string) string {
	return strings.ToLower(strings.TrimSpace(kind))
}

// ID returns the id of a normalised URL: cityHash64 as ClickHouse
// computes it, so SELECT cityHash64('…') finds the row of a URL.
func ID(url string) uint64 { return city.CH64([]byte(url)) }

// link is one link of a package.
type link struct {
	id   uint64
	kind string
}

// linksOf returns the links of p, each (URL, kind) once, in the package's
// order, and adds their URLs to urls (id → URL).
func linksOf(p *events.Package, urls map[uint64]string) []link {
	var out []link
	for _, l := range p.Links {
		u := NormalizeURL(l.URL)
		if u == "" {
			continue
		}
		k := link{id: ID(u), kind: NormalizeKind(l.Kind)}
		dup := false
		for _, o := range out {
			dup = dup || o == k
		}
		if !dup {
			urls[k.id] = u
			out = append(out, k)
		}
	}
	return out
}
