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
	Line    int
	Package *events.Package
}
