package events

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/cespare/xxhash/v2"
)

// CanonicalVersion is the version of the canonical package encoding. It is
// the first byte of every encoding, so a change of the encoding changes every
// checksum (as a change of the hashing seed does).
const CanonicalVersion byte = 1

// AppendCanonical appends the canonical encoding of p to buf and returns the
// extended buffer. The encoding is a version byte followed by every field of
// Package in declaration order; strings are length-prefixed (uvarint), lists
// are counted, integers are uvarints and booleans one byte. It never
// iterates a map and holds no floats, so equal packages encode identically.
func AppendCanonical(buf []byte, p *Package) []byte {
	buf = append(buf, CanonicalVersion)
	buf = appendStrings(buf, p.Name, p.Version, p.Architecture, string(p.Kind), p.SourceName, p.SourceVersion)
	buf = appendPerson(buf, p.Maintainer)
	buf = binary.AppendUvarint(buf, uint64(len(p.Uploaders)))
	for _, u := range p.Uploaders {
		buf = appendPerson(buf, u)
	}
	buf = binary.AppendUvarint(buf, uint64(len(p.Links)))
	for _, l := range p.Links {
		buf = appendStrings(buf, l.Kind, l.URL)
	}
	buf = appendStrings(buf, p.Section, p.Priority, p.Summary)
	buf = binary.AppendUvarint(buf, p.InstalledSize)
	buf = binary.AppendUvarint(buf, p.Size)
	buf = appendStrings(buf, p.Filename, p.SHA256, p.MultiArch)
	buf = append(buf, boolByte(p.Essential))
	buf = appendList(buf, p.Tags)
	buf = appendList(buf, p.Binaries)
	r := &p.Relations
	return appendStrings(buf, r.Depends, r.PreDepends, r.Recommends, r.Suggests, r.Enhances,
		r.Provides, r.Conflicts, r.Breaks, r.Replaces, r.BuildDeps)
}

func appendPerson(buf []byte, p Person) []byte {
	return appendStrings(buf, p.Name, p.Email)
}

func appendList(buf []byte, ss []string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(ss)))
	return appendStrings(buf, ss...)
}

func appendStrings(buf []byte, ss ...string) []byte {
	for _, s := range ss {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// Checksum is the xxhash64 of a package's canonical encoding mixed with the
// hashing seed. On the wire it is 16 lower-case hex digits.
type Checksum uint64

// String returns the checksum as 16 hex digits.
func (c Checksum) String() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(c))
	return hex.EncodeToString(b[:])
}

// MarshalText encodes the checksum as 16 hex digits.
func (c Checksum) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes 16 hex digits.
func (c *Checksum) UnmarshalText(b []byte) error {
	if len(b) != 16 {
		return fmt.Errorf("decoding checksum %q: want 16 hex digits", b)
	}
	v, err := strconv.ParseUint(string(b), 16, 64)
	if err != nil {
		return fmt.Errorf("decoding checksum %q: %w", b, err)
	}
	*c = Checksum(v)
	return nil
}

// Hasher computes package checksums with one hashing seed. Bumping the seed
// changes every checksum, which makes the next ingest re-emit every package
// as changed: that is how a change of parsing or normalisation logic reaches
// the projections. A Hasher reuses its buffers and is not safe for
// concurrent use; give each goroutine its own.
type Hasher struct {
	seed   uint64
	digest *xxhash.Digest
	buf    []byte
}

// NewHasher returns a Hasher for seed.
func NewHasher(seed uint64) *Hasher {
	return &Hasher{seed: seed, digest: xxhash.NewWithSeed(seed), buf: make([]byte, 0, 4096)}
}

// Seed returns the hashing seed.
func (h *Hasher) Seed() uint64 { return h.seed }

// Sum returns the checksum of p.
func (h *Hasher) Sum(p *Package) Checksum {
	h.buf = AppendCanonical(h.buf[:0], p)
	h.digest.ResetWithSeed(h.seed)
	_, _ = h.digest.Write(h.buf) // never fails
	return Checksum(h.digest.Sum64())
}

// SetChecksum is the running, order-independent checksum of a set of
// packages (a project's packageset, or a whole repository). Each member
// contributes the hash of its key and checksum; contributions are added
// modulo 2^64, so the result does not depend on the order packages were seen
// and a member can be removed again. The zero value is the empty set.
type SetChecksum uint64

// Add returns the set with the package key/checksum added.
func (s SetChecksum) Add(key string, c Checksum) SetChecksum {
	return s + SetChecksum(member(key, c))
}

// Remove returns the set with the package key/checksum taken out.
func (s SetChecksum) Remove(key string, c Checksum) SetChecksum {
	return s - SetChecksum(member(key, c))
}

// Merge returns the union of two disjoint sets.
func (s SetChecksum) Merge(o SetChecksum) SetChecksum { return s + o }

// String returns the set checksum as 16 hex digits.
func (s SetChecksum) String() string { return Checksum(s).String() }

// MarshalText encodes the set checksum as 16 hex digits.
func (s SetChecksum) MarshalText() ([]byte, error) { return Checksum(s).MarshalText() }

// UnmarshalText decodes 16 hex digits.
func (s *SetChecksum) UnmarshalText(b []byte) error { return (*Checksum)(s).UnmarshalText(b) }

func member(key string, c Checksum) uint64 {
	var d xxhash.Digest
	d.Reset()
	_, _ = d.WriteString(key)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(c))
	_, _ = d.Write(b[:])
	return d.Sum64()
}
