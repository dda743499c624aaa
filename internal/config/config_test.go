package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/config"
)

func TestParseAppliesDefaults(t *testing.T) {
	c, err := config.Parse([]byte(`
repositories:
  - name: bookworm
    family: debian
    format: debian
    release: bookworm
    component: main
    architecture: amd64
    source: /srv/Packages.xz
    minpackages: 1000
`))
	require.NoError(t, err)
	assert.Equal(t, config.DefaultTopic, c.Topic)
	assert.Equal(t, 8, c.Partitions)
	assert.Equal(t, 0.5, *c.MaxRemovalShare)
	r := c.Repositories[0]
	assert.Equal(t, "debian", r.Distribution)
	assert.Equal(t, "main/binary-amd64/Packages", r.IndexPath)
	assert.Equal(t, "debian/debian/bookworm/main/amd64", r.Identity().ID())
}

func TestValidateReportsEveryProblem(t *testing.T) {
	_, err := config.Parse([]byte(`
partitions: -1
repositories:
  - name: a
    format: rpm
  - name: a
    family: debian
    format: debian
    release: r
    component: c
    architecture: x
    source: s
    minpackages: -3
`))
	require.Error(t, err)
	for _, want := range []string{"partitions: -1", "repositories[0] (a): family is required", `format "rpm" is not supported`,
		"repositories[1] (a): name \"a\" is used twice", "minpackages -3"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestUnknownKeysAreErrors(t *testing.T) {
	_, err := config.Parse([]byte("repositorys: []\n"))
	assert.ErrorContains(t, err, "repositorys")
}

func TestExamplesAreValid(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		_, err := config.Load(f)
		assert.NoError(t, err, f)
	}
}

func TestFromAptListsReadsTheHostsIndexes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", "")
	write("deb.debian.org_debian_dists_bookworm_InRelease", "Origin: Debian\nSuite: stable\n")
	write("deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4", "")
	write("deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en", "")
	c, err := config.FromAptLists(dir)
	require.NoError(t, err)
	require.Len(t, c.Repositories, 2)
	r, err := c.Find("debian-bookworm-main-amd64")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "deb.debian.org_debian_dists_bookworm_InRelease"), r.InRelease)
	sec, err := c.Find("debian-bookworm-security-main-amd64")
	require.NoError(t, err)
	assert.Equal(t, "bookworm-security", sec.Release)
	assert.Empty(t, sec.InRelease, "no release file for it here")

	_, err = config.FromAptLists(t.TempDir())
	assert.ErrorContains(t, err, "no binary Packages index")
}
