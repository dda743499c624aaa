// Package versions orders version strings the way the status projection
// needs them: across repositories of different families, and within one
// Debian repository.
//
// Three operations make up the package:
//
//   - [Compare] and [CompareFlags] order any two version strings with the
//     rules of Repology's libversion algorithm, written anew from its
//     published description. They need no knowledge of the scheme a
//     version was written in: "1.0", "1.0.0", "1_0", "v1.0~rc1" and
//     "1.0-alpha" all find their place in one total order.
//   - [Normalize] reduces a distribution's package version to the upstream
//     version it packages (dropping epochs, Debian revisions, RPM releases,
//     Arch pkgrels, Alpine -rN and Debian repack markers) so that [Compare]
//     sees what upstream released, not how a distribution labelled its
//     build. [FamilyFlags] gives the comparison flags a family's version
//     syntax calls for.
//   - [DebianCompare] implements dpkg's own ordering (epoch, upstream
//     version, revision; '~' before anything), for ordering versions
//     inside one Debian or Ubuntu repository, where dpkg's answer is the
//     only right one.
//
// # Contract
//
// Every function is pure: safe for concurrent use, deterministic, and
// defined for every input, including the empty string, arbitrary bytes and
// numbers of any length. None panics and none returns an error: a string
// that is not a well-formed version still gets a place in the order.
// [Compare], [CompareFlags] and [DebianCompare] return -1, 0 or +1, define
// total preorders (antisymmetric and transitive; distinct strings may
// compare equal, such as "1.0" and "1.0.0"), and do not allocate.
// [Normalize] returns its input with parts removed, allocating only to cut a
// repack or rebuild marker out of a Debian version or to lower-case a
// family name written in upper case.
//
// Strings are read as bytes: only ASCII letters and digits carry meaning
// for [Compare], and every other byte, including any byte of a multi-byte
// UTF-8 sequence, is a separator.
package versions
