package links_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/links"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"a plain URL is kept", "https://www.gnu.org/software/hello/", "https://www.gnu.org/software/hello/"},
		{"white space around goes", "  http://zlib.net/ \t", "http://zlib.net/"},
		{"scheme and host are lower-cased", "HTTPS://GitHub.COM/Foo/Bar", "https://github.com/Foo/Bar"},
		{"the path, query and fragment keep their case", "https://x.org/A?B=C#D", "https://x.org/A?B=C#D"},
		{"a trailing slash is kept", "http://zlib.net", "http://zlib.net"},
		{"user info keeps its case, the host does not", "svn://User@SVN.Example.org/Trunk", "svn://User@svn.example.org/Trunk"},
		{"a port is kept", "HTTP://Example.org:8080/x", "http://example.org:8080/x"},
		{"a host alone is lower-cased", "https://EXAMPLE.org", "https://example.org"},
		{"a query right after the host", "https://Example.org?q=A", "https://example.org?q=A"},
		{"no scheme: only trimmed", " Www.Example.org/X ", "Www.Example.org/X"},
		{"a bad scheme: only trimmed", "ht tp://X.org", "ht tp://X.org"},
		{"git+ssh is a scheme", "GIT+SSH://Git.Debian.org/X.git", "git+ssh://git.debian.org/X.git"},
		{"empty is no link", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, links.NormalizeURL(tt.raw))
		})
	}
}

func TestNormalizeKind(t *testing.T) {
	tests := []struct {
		name, kind, want string
	}{
		{"a kind as the producer writes it", "vcs-git", "vcs-git"},
		{"upper case and spaces", " Vcs-Browser ", "vcs-browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, links.NormalizeKind(tt.kind))
		})
	}
}

// TestIDIsClickHousesCityHash64 pins ids to values ClickHouse 18.16
// computes with SELECT cityHash64('…').
func TestIDIsClickHousesCityHash64(t *testing.T) {
	tests := []struct {
		name, url string
		id        uint64
	}{
		{"a short string", "abc", 4220206313085259313},
		{"a URL longer than 64 bytes", "https://www.example.org/some/very/long/path/that/exceeds/sixty/four/bytes/of/text/for/testing", 14724275350156069082},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.id, links.ID(tt.url))
		})
	}
}
