package versions_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/projections/versions"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, family, version, want string
	}{
		// Debian: epoch and revision.
		{"a Debian epoch and revision go", "debian", "1:2.30-1", "2.30"},
		{"a Debian revision goes", "debian", "2.30-1", "2.30"},
		{"a native Debian version stays", "debian", "2.30", "2.30"},
		{"only the last hyphen starts the revision", "debian", "1.0-beta-2", "1.0-beta"},
		{"an Ubuntu revision goes", "ubuntu", "1:1.0-1ubuntu0.22.04.1", "1.0"},
		{"surrounding white space goes", "debian", " 1.0-1 ", "1.0"},
		{"a colon not after digits is no epoch", "debian", "a:1.0-1", "a:1.0"},
		{"the empty version stays empty", "debian", "", ""},
		// Debian: +really.
		{"+really keeps what follows it", "debian", "2.0+really1.5-1", "1.5"},
		{"+really with epoch and repack keeps the real upstream", "debian", "1:2.0+really1.5+dfsg-3", "1.5"},
		{"the last +really wins", "debian", "3.0+really2.0+really1.0-1", "1.0"},
		{"a +really with nothing after it stays", "debian", "1.0+really", "1.0+really"},
		// Debian: repack markers.
		{"+dfsg goes", "debian", "1.2.3+dfsg-1", "1.2.3"},
		{"+dfsg with a counter goes", "debian", "1.2.3+dfsg1-2", "1.2.3"},
		{"+dfsg with a dotted counter goes", "debian", "1.2.3+dfsg.1-2", "1.2.3"},
		{"~dfsg goes", "debian", "1.2.3~dfsg-1", "1.2.3"},
		{".dfsg with a counter goes", "debian", "0.9.8.dfsg.1-1", "0.9.8"},
		{"+ds goes", "debian", "1.2.3+ds-1", "1.2.3"},
		{"+ds with a counter goes", "debian", "1.2.3+ds1-1", "1.2.3"},
		{"~ds goes", "debian", "1.2.3~ds1-1", "1.2.3"},
		{"+repack goes", "debian", "1.2.3+repack-1", "1.2.3"},
		{"+repack with a counter goes", "debian", "1.2.3+repack2-1", "1.2.3"},
		{"a marker in the middle goes and the rest stays", "debian", "1.0+dfsg+git20240101-1", "1.0+git20240101"},
		{"a pre-release before a marker stays", "debian", "3.1~rc2+dfsg-1", "3.1~rc2"},
		{"two markers both go", "debian", "1.0+dfsg1+ds2-1", "1.0"},
		{"a word merely starting with ds stays", "debian", "1.0+dsl-1", "1.0+dsl"},
		{"a word merely starting with dfsg stays", "debian", "1.0+dfsgx-1", "1.0+dfsgx"},
		{"dfsg without punctuation before it stays", "debian", "1.0dfsg-1", "1.0dfsg"},
		{"ds after a dot stays", "debian", "1.0.ds-1", "1.0.ds"},
		// Debian: rebuild markers of native packages.
		{"a stable update of a native package goes", "debian", "20230311+deb12u1", "20230311"},
		{"a tilde stable update goes", "debian", "2.4~deb11u2", "2.4"},
		{"a backport of a native package goes", "debian", "1.2~bpo12+1", "1.2"},
		{"a non-maintainer upload of a native package goes", "debian", "1.2+nmu1", "1.2"},
		{"a binary rebuild of a native package goes", "debian", "1.2+b1", "1.2"},
		{"a +bN not at the end stays", "debian", "1.2+b1.1", "1.2+b1.1"},
		{"deb without an update number stays", "debian", "1.2+deb12", "1.2+deb12"},
		{"bpo without a number stays", "debian", "1.2~bpo", "1.2~bpo"},
		// Debian: what stays on purpose.
		{"a tilde pre-release stays", "debian", "1.0~rc1-1", "1.0~rc1"},
		{"a tilde snapshot stays", "debian", "1.0~git20240101.abc123-1", "1.0~git20240101.abc123"},
		{"a plus snapshot stays", "debian", "1.0+git20240101-1", "1.0+git20240101"},
		// RPM.
		{"an RPM epoch and release go", "fedora", "2:1.4.3-7.fc40", "1.4.3"},
		{"an RPM release goes", "rpm", "1.4.3-7.fc40", "1.4.3"},
		{"an RPM version without release stays", "opensuse", "1.4.3", "1.4.3"},
		{"an RPM tilde pre-release stays", "centos", "1.0~rc1-1.el9", "1.0~rc1"},
		{"the family is case-insensitive", "Fedora", "1.4.3-7.fc40", "1.4.3"},
		// Arch.
		{"an Arch epoch and pkgrel go", "arch", "1:2.3-2", "2.3"},
		{"a dotted Arch pkgrel goes", "arch", "2.3-2.1", "2.3"},
		{"an Arch VCS version keeps its upstream part", "arch", "r1234.abcdef-1", "r1234.abcdef"},
		{"an Arch version without pkgrel stays", "manjaro", "2.3", "2.3"},
		// Alpine and Gentoo.
		{"an Alpine -r0 goes", "alpine", "1.2.3_rc1-r0", "1.2.3_rc1"},
		{"an Alpine -r10 goes", "alpine", "1.2.3-r10", "1.2.3"},
		{"an Alpine version without revision stays", "alpine", "1.2.3", "1.2.3"},
		{"a bare -r stays", "alpine", "1.2.3-r", "1.2.3-r"},
		{"-rc is no revision", "alpine", "1.2.3-rc1", "1.2.3-rc1"},
		{"an Alpine patch level stays", "alpine", "1.2_p3-r1", "1.2_p3"},
		{"a Gentoo -rN goes", "gentoo", "1.2.3-r2", "1.2.3"},
		// Others.
		{"a Nix version stays", "nix", "1.2.3-unstable-2024-01-01", "1.2.3-unstable-2024-01-01"},
		{"a PyPI version stays", "pypi", "1.0.post1", "1.0.post1"},
		{"an unknown family's version stays", "haiku", "1:2.0-1", "1:2.0-1"},
		{"an empty family's version stays", "", "1:2.0-1", "1:2.0-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, versions.Normalize(tt.family, tt.version))
		})
	}
}

func TestFamilyFlags(t *testing.T) {
	tests := []struct {
		family string
		want   versions.Flag
	}{
		{"alpine", versions.PIsPatch},
		{"ALPINE", versions.PIsPatch},
		{"gentoo", versions.PIsPatch},
		{"wolfi", versions.PIsPatch},
		{"debian", 0},
		{"pypi", 0},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.family, func(t *testing.T) {
			assert.Equal(t, tt.want, versions.FamilyFlags(tt.family))
		})
	}
}

// TestNormalizedCrossFamilyOrder checks the intended use: versions from
// different families, normalized and compared with their families' flags.
func TestNormalizedCrossFamilyOrder(t *testing.T) {
	type pkg struct{ family, version string }
	tests := []struct {
		name string
		a    pkg
		op   string
		b    pkg
	}{
		{"a dfsg repack is the upstream release", pkg{"debian", "1.2.3+dfsg-1"}, "=", pkg{"arch", "1.2.3-1"}},
		{"epochs do not make a version newer", pkg{"debian", "2:1.0-1"}, "<", pkg{"fedora", "1.1-1.fc40"}},
		{"a +really rollback is its real version", pkg{"debian", "1:2.0+really1.5-1"}, "<", pkg{"arch", "1.6-1"}},
		{"a tilde pre-release is older than the release", pkg{"debian", "3.1~rc2+dfsg-1"}, "<", pkg{"fedora", "3.1-1.fc40"}},
		{"an Alpine patch level is newer than the release", pkg{"alpine", "1.2_p3-r0"}, ">", pkg{"debian", "1.2-1"}},
		{"an Alpine rc is older than the release", pkg{"alpine", "1.2.3_rc1-r0"}, "<", pkg{"arch", "1.2.3-1"}},
		{"a Gentoo patch level is newer than the release", pkg{"gentoo", "1.2_p1-r2"}, ">", pkg{"ubuntu", "1.2-3ubuntu1"}},
		{"revisions do not matter across families", pkg{"debian", "1.0-9"}, "=", pkg{"alpine", "1.0-r0"}},
		{"a stable update is its native release", pkg{"debian", "20230311+deb12u1"}, "=", pkg{"nix", "20230311"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := versions.CompareFlags(
				versions.Normalize(tt.a.family, tt.a.version),
				versions.Normalize(tt.b.family, tt.b.version),
				versions.FamilyFlags(tt.a.family),
				versions.FamilyFlags(tt.b.family),
			)
			assert.Equal(t, opResult[tt.op], got)
		})
	}
}
