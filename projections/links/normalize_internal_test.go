package links

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/events"
)

func TestLinksOf(t *testing.T) {
	tests := []struct {
		name  string
		links []events.Link
		want  []link
		urls  map[uint64]string
	}{
		{
			name:  "a homepage and a repository, normalised",
			links: []events.Link{{Kind: "homepage", URL: " HTTP://Zlib.net/ "}, {Kind: "vcs-git", URL: "https://salsa.debian.org/x.git"}},
			want:  []link{{ID("http://zlib.net/"), "homepage"}, {ID("https://salsa.debian.org/x.git"), "vcs-git"}},
			urls:  map[uint64]string{ID("http://zlib.net/"): "http://zlib.net/", ID("https://salsa.debian.org/x.git"): "https://salsa.debian.org/x.git"},
		},
		{
			name:  "one URL in two kinds is two links, in one kind twice is one",
			links: []events.Link{{Kind: "homepage", URL: "https://x.org"}, {Kind: "vcs-browser", URL: "https://x.org"}, {Kind: "Homepage", URL: "https://X.org"}},
			want:  []link{{ID("https://x.org"), "homepage"}, {ID("https://x.org"), "vcs-browser"}},
			urls:  map[uint64]string{ID("https://x.org"): "https://x.org"},
		},
		{
			name:  "an empty URL is no link",
			links: []events.Link{{Kind: "homepage", URL: "  "}},
			urls:  map[uint64]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			urls := map[uint64]string{}
			assert.Equal(t, tt.want, linksOf(&events.Package{Links: tt.links}, urls))
			assert.Equal(t, tt.urls, urls)
		})
	}
}
