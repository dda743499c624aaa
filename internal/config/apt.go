package config

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultAptLists is where apt keeps the indexes of a Debian or Ubuntu
// host's configured repositories.
const DefaultAptLists = "/var/lib/apt/lists"

// FromAptLists builds a configuration from the binary package indexes apt
// has downloaded into dir: one repository per
// "<site>_dists_<suite>_<component>_binary-<arch>_Packages" file, its
// family and distribution read from the suite's InRelease or Release
// Origin, its SHA-256 checked against that file. It returns an error when
// dir holds no index.
func FromAptLists(dir string) (*Config, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*_binary-*_Packages*"))
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	sort.Strings(paths)
	c := &Config{}
	for _, p := range paths {
		r, ok := aptRepository(p)
		if !ok {
			continue
		}
		c.Repositories = append(c.Repositories, r)
	}
	if len(c.Repositories) == 0 {
		return nil, fmt.Errorf("reading apt lists: no binary Packages index in %s", dir)
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("reading apt lists in %s: %w", dir, err)
	}
	return c, nil
}

// aptRepository reads one apt list file name.
func aptRepository(path string) (Repository, bool) {
	base := filepath.Base(path)
	if strings.HasSuffix(base, ".diff_Index") || strings.Contains(base, ".IndexDiff") {
		return Repository{}, false
	}
	site, rest, ok := strings.Cut(base, "_dists_")
	if !ok {
		return Repository{}, false
	}
	parts := strings.Split(rest, "_")
	// suite may hold slashes (bookworm/updates), written as '_': the last
	// three parts are component, binary-<arch>, Packages[.ext].
	if len(parts) < 4 || !strings.HasPrefix(parts[len(parts)-2], "binary-") {
		return Repository{}, false
	}
	suite := strings.Join(parts[:len(parts)-3], "/")
	component := parts[len(parts)-3]
	arch := strings.TrimPrefix(parts[len(parts)-2], "binary-")
	release := filepath.Join(filepath.Dir(path), site+"_dists_"+strings.Join(parts[:len(parts)-3], "_")+"_InRelease")
	if _, err := os.Stat(release); err != nil {
		release = strings.TrimSuffix(release, "InRelease") + "Release"
		if _, err := os.Stat(release); err != nil {
			release = ""
		}
	}
	family := "debian"
	if release != "" {
		if o := releaseOrigin(release); o != "" {
			family = o
		}
	}
	return Repository{
		Name:   family + "-" + strings.ReplaceAll(suite, "/", "-") + "-" + component + "-" + arch,
		Family: family, Distribution: family, Format: "debian",
		Release: suite, Component: component, Architecture: arch,
		Source: path, InRelease: release, IndexPath: component + "/binary-" + arch + "/Packages",
	}, true
}

// releaseOrigin returns the lower-cased Origin of a Release file, or "".
func releaseOrigin(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Origin:"); ok {
			return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(v), " ", "-"))
		}
	}
	return ""
}
