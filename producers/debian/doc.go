// Package debian parses Debian repository indexes — binary `Packages` and
// source `Sources` files in deb822 form, plain, gzip or xz compressed — into
// producers.Entry values, streaming: memory stays flat however large the
// index, and decompression runs beside parsing.
//
// Package identity: a package is keyed "name/architecture". Real indexes can
// list one name and architecture at several versions (bookworm lists
// linux-doc twice); within such a run of adjacent stanzas the newest version
// (dpkg ordering) keeps the plain key and every other version is keyed
// "name/architecture@version", so the common case of one version per name
// diffs as "changed" across snapshots while extra versions keep their own
// identity. A stanza repeating name, architecture and version exactly is
// dropped when it is byte-for-byte the same package, and is an error
// otherwise. Source packages are keyed "name/source".
//
// The project of a package is its source package name, lower-cased and
// trimmed: the Kafka key, so all events of one source package stay in order.
package debian
