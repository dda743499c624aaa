package versions

import "strings"

// scheme is how a family writes package versions around the upstream one.
type scheme uint8

const (
	schemeVerbatim scheme = iota // the version is the upstream version
	schemeDebian                 // [epoch:]upstream[-revision], dpkg
	schemeRPM                    // [epoch:]version[-release], rpm
	schemeArch                   // [epoch:]pkgver-pkgrel, pacman
	schemeRevision               // version[-rN]: apk, portage
)

// schemes maps a repository family (events.Repository.Family, lower case)
// to its version scheme. Families not listed are read verbatim.
var schemes = map[string]scheme{
	"debian": schemeDebian, "ubuntu": schemeDebian, "devuan": schemeDebian,
	"raspbian": schemeDebian, "kali": schemeDebian, "linuxmint": schemeDebian,
	"pureos": schemeDebian,

	"rpm": schemeRPM, "fedora": schemeRPM, "centos": schemeRPM,
	"rhel": schemeRPM, "almalinux": schemeRPM, "rocky": schemeRPM,
	"opensuse": schemeRPM, "suse": schemeRPM, "mageia": schemeRPM,
	"openmandriva": schemeRPM, "openeuler": schemeRPM, "amazon": schemeRPM,

	"arch": schemeArch, "archlinux": schemeArch, "manjaro": schemeArch,
	"artix": schemeArch, "msys2": schemeArch,

	"alpine": schemeRevision, "postmarketos": schemeRevision, "wolfi": schemeRevision,
	"gentoo": schemeRevision, "funtoo": schemeRevision,
}

// familyFlags lists the families whose version syntax uses "p" for a patch
// level ("1.2_p3"), so it must be read with PIsPatch.
var familyFlags = map[string]Flag{
	"alpine": PIsPatch, "postmarketos": PIsPatch, "wolfi": PIsPatch,
	"gentoo": PIsPatch, "funtoo": PIsPatch,
}

// Normalize reduces a package version from a repository of the given
// family (case-insensitive) to the upstream version it packages, ready for
// [Compare] against versions from other families:
//
//   - Debian and derivatives (debian, ubuntu, devuan, raspbian, kali,
//     linuxmint, pureos): the epoch and the Debian revision (from the last
//     '-') go; of "A+reallyB" only B is kept; repack markers ("+dfsg",
//     "~dfsg1", ".dfsg.2", "+ds", "+repack") and native-package rebuild
//     markers ("+deb12u1", "~bpo12+1", "+nmu1", a final "+b2") go; '~'
//     pre-releases and snapshots stay. "1:2.0+really1.5+dfsg-3" becomes
//     "1.5", "3.1~rc2+dfsg-1" becomes "3.1~rc2".
//   - RPM (rpm, fedora, centos, rhel, almalinux, rocky, opensuse, suse,
//     mageia, openmandriva, openeuler, amazon): the epoch ("N:") and the
//     release (from the last '-') go: "2:1.4.3-7.fc40" becomes "1.4.3".
//   - Arch and other pacman families (arch, archlinux, manjaro, artix,
//     msys2): the epoch and the pkgrel (from the last '-') go: "1:2.3-2"
//     becomes "2.3".
//   - Alpine, other apk families and Gentoo (alpine, postmarketos, wolfi,
//     gentoo, funtoo): a final "-rN" package revision goes: "1.2.3_rc1-r0"
//     becomes "1.2.3_rc1".
//   - Every other family (nix, pypi, …), and the empty one: the version is
//     returned unchanged.
//
// Normalize never fails; a part it expects but does not find is left alone.
func Normalize(family, version string) string {
	switch schemes[strings.ToLower(family)] {
	case schemeDebian:
		return normalizeDebian(version)
	case schemeRPM, schemeArch:
		return cutRelease(stripEpoch(version))
	case schemeRevision:
		return cutRevisionR(version)
	default:
		return version
	}
}

// FamilyFlags returns the [Flag] set a family's normalized versions should
// be compared with: PIsPatch for families that spell a patch level "_p"
// (alpine, postmarketos, wolfi, gentoo, funtoo), and no flags otherwise.
func FamilyFlags(family string) Flag {
	return familyFlags[strings.ToLower(family)]
}

// stripEpoch drops a leading "N:" epoch, N being one or more digits.
func stripEpoch(v string) string {
	_, rest := cutEpoch(v)
	return rest
}

// cutRelease drops everything from the last '-' on.
func cutRelease(v string) string {
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return v[:i]
	}
	return v
}

// cutRevisionR drops a final "-r" followed by one or more digits.
func cutRevisionR(v string) string {
	i := strings.LastIndex(v, "-r")
	if i < 0 || i+2 == len(v) || !allDigits(v[i+2:]) {
		return v
	}
	return v[:i]
}
