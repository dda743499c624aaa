package producers

import "github.com/repodelta/repodelta/events"

// Entry is one parsed package as a format parser hands it to the differ.
type Entry struct {
	// Key identifies the package within its repository (see events.Envelope).
	Key string
	// Project is the package's cross-repository grouping, already normalised.
	Project string
	// Checksum is the seeded checksum of Package (events.Hasher).
	Checksum events.Checksum
	// Line is where the package's entry starts in its index (1-based).
	Line int
	// Raw is the parser's hash of the entry's bytes as the index lists
	// them (0: not computed). The next snapshot's parser is given it back
	// (Known), so an entry listed again byte for byte need not be parsed.
	Raw     uint64
	Package *events.Package
}

// Known tells a parser what the previous snapshot held, by raw hash (see
// Entry.Raw): the key and checksum of the entry whose bytes hashed to raw.
// A parser that finds an entry with a known raw hash may skip parsing it
// when the entry gets the same key again: same bytes, same package. A nil
// Known knows nothing.
type Known interface {
	Lookup(raw uint64) (key string, checksum events.Checksum, ok bool)
}
