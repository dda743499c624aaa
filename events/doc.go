// Package events defines repodelta's event contract: the envelope every
// change event carries, the event types (a package appeared, changed or
// disappeared; a repository snapshot started or was committed), the
// canonical, versioned binary encoding of a package with its seeded xxhash64
// checksum, and the JSON wire format with upcasting of older schema versions.
//
// The package imports nothing of repodelta's: producers, consumers and
// projections all depend on it, never the other way round.
package events
