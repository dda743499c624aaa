package debian_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
	"github.com/repodelta/repodelta/projections/versions"
)

// scanString scans an index given as text and returns its entries.
func scanString(t *testing.T, text string, opts debian.Options) ([]*producers.Entry, error) {
	t.Helper()
	var out []*producers.Entry
	err := debian.Scan(context.Background(), strings.NewReader(text), "Packages", opts, func(e *producers.Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

func scanFile(t *testing.T, path string, in input.Options) ([]*producers.Entry, error) {
	t.Helper()
	var out []*producers.Entry
	err := debian.ScanFile(context.Background(), path, debian.Options{}, in, func(e *producers.Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

func TestScanReadsEveryFieldOfABinaryIndex(t *testing.T) {
	entries, err := scanFile(t, "testdata/Packages", input.Options{})
	require.NoError(t, err)
	require.Len(t, entries, 4)

	z := entries[0]
	assert.Equal(t, "zlib1g/amd64", z.Key)
	assert.Equal(t, "zlib", z.Project)
	assert.Equal(t, 1, z.Line)
	p := z.Package
	assert.Equal(t, events.KindBinary, p.Kind)
	assert.Equal(t, "1:1.2.13.dfsg-1", p.SourceVersion)
	assert.Equal(t, events.Person{Name: "Mark Brown", Email: "broonie@debian.org"}, p.Maintainer)
	assert.Equal(t, []events.Link{{Kind: "homepage", URL: "http://zlib.net/"}}, p.Links)
	assert.Equal(t, "libxml2 (<< 2.7.6.dfsg-2), texlive-binaries (<< 2009-12)", p.Relations.Breaks, "continuation lines fold")
	assert.Equal(t, uint64(164), p.InstalledSize)
	assert.Equal(t, uint64(87604), p.Size)
	assert.Equal(t, []string{"role::shared-lib"}, p.Tags)
	assert.Equal(t, "same", p.MultiArch)
	assert.Equal(t, "compression library - runtime", p.Summary)
	assert.Equal(t, z.Checksum, events.NewHasher(0).Sum(p))

	e := entries[3].Package
	assert.Equal(t, "essential-thing", e.SourceName, "no Source field: the package is its own source")
	assert.True(t, e.Essential)
	assert.Equal(t, "an essential thing", e.Summary, "only the first line of Description")
	assert.Equal(t, []events.Person{{Name: "A", Email: "a@example.org"}, {Name: "B, Jr.", Email: "b@example.org"}}, e.Uploaders)
	assert.Equal(t, []events.Link{{Kind: "vcs-git", URL: "https://salsa.debian.org/x/essential-thing.git"}, {Kind: "vcs-browser", URL: "https://salsa.debian.org/x/essential-thing"}}, e.Links)
}

func TestTheNewestOfSeveralVersionsKeepsThePlainKey(t *testing.T) {
	entries, err := scanFile(t, "testdata/Packages", input.Options{})
	require.NoError(t, err)
	keys := map[string]string{}
	for _, e := range entries {
		keys[e.Key] = e.Package.Version
	}
	assert.Equal(t, "6.1.176-1", keys["linux-doc/all"])
	assert.Equal(t, "6.1.170-3", keys["linux-doc/all@6.1.170-3"])
}

func TestScanReadsASourcesIndex(t *testing.T) {
	entries, err := scanFile(t, "testdata/Sources", input.Options{})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	s := entries[0]
	assert.Equal(t, "zlib/source", s.Key)
	assert.Equal(t, "zlib", s.Project)
	assert.Equal(t, events.KindSource, s.Package.Kind)
	assert.Equal(t, []string{"lib32z1", "lib32z1-dev", "zlib1g", "zlib1g-dev", "zlib1g-udeb"}, s.Package.Binaries)
	assert.Equal(t, "debhelper (>= 9), gcc-multilib [amd64 i386] <!nobiarch>", s.Package.Relations.BuildDeps)
	assert.Equal(t, "pool/main/z/zlib", s.Package.Filename)
	assert.Len(t, s.Package.Links, 3)
}

func TestCRLFLineEndingsParseLikeLF(t *testing.T) {
	lf, err := os.ReadFile("testdata/Packages")
	require.NoError(t, err)
	want, err := scanString(t, string(lf), debian.Options{})
	require.NoError(t, err)
	got, err := scanString(t, strings.ReplaceAll(string(lf), "\n", "\r\n"), debian.Options{})
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].Key, got[i].Key)
		assert.Equal(t, want[i].Checksum, got[i].Checksum, "same package, same checksum")
	}
}

func TestAnEmptyIndexHoldsNoPackages(t *testing.T) {
	for _, text := range []string{"", "\n\n\n", "  \n\t\n"} {
		entries, err := scanString(t, text, debian.Options{})
		require.NoError(t, err)
		assert.Empty(t, entries)
	}
}

func TestIdenticalDuplicateStanzasCountOnce(t *testing.T) {
	stanza := "Package: a\nVersion: 1\nArchitecture: all\n\n"
	entries, err := scanString(t, stanza+stanza, debian.Options{})
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}

func TestBadInputIsAnErrorNamingFileAndLine(t *testing.T) {
	ok := "Package: a\nVersion: 1\nArchitecture: all\n\n"
	cases := []struct {
		name string
		text string
		err  error
		line int
	}{
		{"a stanza without Package", ok + "Version: 1\nArchitecture: all\n", debian.ErrMissingField, 5},
		{"a stanza without Version", ok + "Package: b\nArchitecture: all\n", debian.ErrMissingField, 5},
		{"a binary stanza without Architecture", ok + "Package: b\nVersion: 1\n", debian.ErrMissingField, 5},
		{"a repeated field", ok + "Package: b\nVersion: 1\nVersion: 2\nArchitecture: all\n", debian.ErrRepeatedField, 7},
		{"a line without a colon", ok + "Package: b\nthis is not a field\n", debian.ErrSyntax, 6},
		{"a continuation line first", " leading continuation\n", debian.ErrSyntax, 1},
		{"invalid UTF-8", ok + "Package: b\nVersion: 1\nArchitecture: all\nMaintainer: J\xffrg <j@x>\n", debian.ErrInvalidUTF8, 8},
		{"a malformed size", ok + "Package: b\nVersion: 1\nArchitecture: all\nSize: 12k\n", debian.ErrBadNumber, 8},
		{"a duplicate with other fields", ok + "Package: a\nVersion: 1\nArchitecture: all\nSection: x\n", debian.ErrDuplicatePackage, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n int
			err := debian.Scan(context.Background(), strings.NewReader(c.text), "Packages", debian.Options{}, func(*producers.Entry) error { n++; return nil })
			require.Error(t, err)
			assert.ErrorIs(t, err, c.err)
			var pe *debian.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, "Packages", pe.File)
			assert.Equal(t, c.line, pe.Line)
			assert.Contains(t, err.Error(), "Packages:")
		})
	}
}

func TestAHugeFieldIsRefusedUnlessAllowed(t *testing.T) {
	huge := "Package: big\nVersion: 1\nArchitecture: all\nDescription: x\n " + strings.Repeat("y", 10<<20) + "\n"
	_, err := scanString(t, "Package: a\nVersion: 1\nArchitecture: all\n\n"+huge, debian.Options{})
	require.ErrorIs(t, err, debian.ErrStanzaTooLarge)
	assert.Contains(t, err.Error(), "Packages:5:")

	entries, err := scanString(t, huge, debian.Options{MaxStanza: 16 << 20})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "x", entries[0].Package.Summary)
}

func TestManyStanzasAcrossSmallBlocksKeepOrderAndLines(t *testing.T) {
	var b strings.Builder
	for i := range 500 {
		b.WriteString("Package: p" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "\nVersion: 1\nArchitecture: amd64\n\n")
	}
	entries, err := scanString(t, b.String(), debian.Options{BlockSize: 256, Workers: 3})
	require.NoError(t, err)
	for i, e := range entries {
		if i > 0 {
			assert.Greater(t, e.Line, entries[i-1].Line)
		}
	}
	assert.Equal(t, 1, entries[0].Line)
}

func TestCompressedIndexesReadLikePlainOnes(t *testing.T) {
	dir := t.TempDir()
	plain, err := os.ReadFile("testdata/Packages")
	require.NoError(t, err)
	want, err := scanString(t, string(plain), debian.Options{})
	require.NoError(t, err)
	for _, tool := range []string{"xz", "gzip", "bzip2", "zstd"} {
		t.Run(tool, func(t *testing.T) {
			if _, err := exec.LookPath(tool); err != nil {
				t.Skipf("%s not installed", tool)
			}
			path := filepath.Join(dir, "Packages."+tool)
			out, err := exec.Command(tool, "-c", "testdata/Packages").Output()
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, out, 0o644))
			got, err := scanFile(t, path, input.Options{})
			require.NoError(t, err)
			require.Len(t, got, len(want))
			assert.Equal(t, want[0].Checksum, got[0].Checksum)
		})
	}
}

func TestATruncatedXZIndexIsAnErrorAndEmitsNothingPartial(t *testing.T) {
	src, err := os.ReadFile(corpus(t, "bookworm-updates_main_amd64_Packages.xz"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "Packages.xz")
	require.NoError(t, os.WriteFile(path, src[:len(src)/2], 0o644))
	_, err = scanFile(t, path, input.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "xz")
}

func TestADecompressionBombHitsTheSizeCap(t *testing.T) {
	bomb := bytes.Repeat([]byte("Package: a\nVersion: 1\nArchitecture: all\nX: "+strings.Repeat("z", 1000)+"\n\n"), 20000) // ~20 MB
	path := filepath.Join(t.TempDir(), "Packages.xz")
	cmd := exec.Command("xz", "-c")
	cmd.Stdin = bytes.NewReader(bomb)
	out, err := cmd.Output()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
	require.Less(t, len(out), 100<<10, "a small file")
	_, err = scanFile(t, path, input.Options{MaxBytes: 4 << 20})
	require.ErrorIs(t, err, input.ErrTooLarge)
	assert.Contains(t, err.Error(), path)
}

func TestAnXZHeaderAskingForAHugeDictionaryIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Packages.xz")
	cmd := exec.Command("xz", "-c", "--lzma2=dict=1536MiB")
	cmd.Stdin = strings.NewReader("Package: a\nVersion: 1\nArchitecture: all\n")
	out, err := cmd.Output()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, out, 0o644))
	_, err = scanFile(t, path, input.Options{XZMemLimit: 64 << 20})
	require.Error(t, err)
	assert.Contains(t, strings.ToLower(err.Error()), "memory usage limit")
}

func TestTheSHA256IsCheckedAgainstTheReleaseFile(t *testing.T) {
	release := corpus(t, "bookworm-updates_InRelease")
	sum, err := debian.ReleaseSHA256(context.Background(), release, "main/binary-amd64/Packages")
	require.NoError(t, err)
	entries, err := scanFile(t, corpus(t, "bookworm-updates_main_amd64_Packages.xz"), input.Options{SHA256: sum})
	require.NoError(t, err)
	assert.Len(t, entries, 38)

	_, err = scanFile(t, corpus(t, "bookworm-security_main_amd64_Packages.xz"), input.Options{SHA256: sum})
	require.ErrorIs(t, err, input.ErrChecksumMismatch)

	_, err = debian.ReleaseSHA256(context.Background(), release, "main/binary-nope/Packages")
	require.ErrorIs(t, err, debian.ErrNotInRelease)
}

func TestTheBookwormIndexHasItsKnownShape(t *testing.T) {
	var n int
	projects := map[string]bool{}
	keys := map[string]bool{}
	err := debian.ScanFile(context.Background(), corpus(t, "bookworm_main_amd64_Packages.xz"), debian.Options{}, input.Options{}, func(e *producers.Entry) error {
		n++
		projects[e.Project] = true
		require.False(t, keys[e.Key], "key %s handed out twice", e.Key)
		keys[e.Key] = true
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 63440, n)
	assert.Equal(t, 34169, len(projects))
	for _, k := range []string{"linux-doc/all", "linux-doc/all@6.1.170-3", "linux-source/all@6.1.170-3", "linux-doc-6.1/all@6.1.170-3", "linux-source-6.1/all@6.1.170-3"} {
		assert.True(t, keys[k], k)
	}
}

func TestKeysFollowDpkgVersionOrder(t *testing.T) {
	ordered := []string{"0.9", "1.0~rc1", "1.0", "1.0-1", "1.0-1+b1", "1.0a", "1.0.1", "1.10", "2", "1:0.1"}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			assert.Equal(t, want, versions.DebianCompare(ordered[i], ordered[j]), "%s vs %s", ordered[i], ordered[j])
		}
	}
	assert.Equal(t, 0, versions.DebianCompare("1.01", "1.1"))
	assert.Equal(t, 0, versions.DebianCompare("0:1.0", "1.0"))
}

// knownMap is a producers.Known over a map.
type knownMap map[uint64]struct {
	key string
	sum events.Checksum
}

func (k knownMap) Lookup(raw uint64) (string, events.Checksum, bool) {
	v, ok := k[raw]
	return v.key, v.sum, ok
}

func TestAKnownStanzaThatChangesKeyIsParsedWhole(t *testing.T) {
	const v1 = "Package: hello\nVersion: 1.0\nArchitecture: amd64\nMaintainer: A <a@example.org>\nDescription: hi\n"
	const v2 = "Package: hello\nVersion: 2.0\nArchitecture: amd64\nMaintainer: A <a@example.org>\nDescription: hi\n"
	known := knownMap{}
	err := debian.Scan(context.Background(), strings.NewReader(v1), "Packages", debian.Options{}, func(e *producers.Entry) error {
		known[e.Raw] = struct {
			key string
			sum events.Checksum
		}{e.Key, e.Checksum}
		return nil
	})
	require.NoError(t, err)
	require.Len(t, known, 1)

	// v1 listed again byte for byte, but v2 now takes the plain key.
	var got []*producers.Entry
	err = debian.Scan(context.Background(), strings.NewReader(v2+"\n"+v1), "Packages", debian.Options{Known: known}, func(e *producers.Entry) error {
		c := *e
		got = append(got, &c)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "hello/amd64", got[0].Key)
	assert.Equal(t, "hello/amd64@1.0", got[1].Key)
	assert.Equal(t, "A", got[1].Package.Maintainer.Name, "the moved stanza is parsed whole")
	for _, e := range got {
		assert.NotZero(t, e.Raw)
	}

	// Alone again, v1 keeps its key and is only read lightly.
	got = got[:0]
	err = debian.Scan(context.Background(), strings.NewReader(v1), "Packages", debian.Options{Known: known}, func(e *producers.Entry) error {
		c := *e
		got = append(got, &c)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "hello/amd64", got[0].Key)
	assert.Equal(t, known[got[0].Raw].sum, got[0].Checksum)
}
