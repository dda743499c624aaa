// Package producers turns a stream of parsed packages into change events:
// the differ compares a new snapshot of a repository with its last
// committed one (per-package checksums, per-project packageset checksums),
// the guards refuse snapshots that look truncated, the spool holds a
// snapshot's events until the whole index has been read and verified, and
// the state store keeps each repository's last committed snapshot on disk,
// written atomically and rebuildable from the event log.
//
// Format parsers live in sub-packages (producers/debian, …) and hand the
// differ an Entry per package; this package knows no format.
package producers
