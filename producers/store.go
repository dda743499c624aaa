package producers

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/repodelta/repodelta/events"
)

// ErrCorruptState is wrapped when a state file fails its checksum or does
// not parse: rebuild it from the event log.
var ErrCorruptState = errors.New("corrupt state file")

// stateMagic starts a state file; stateMagicNoRaw started the files of
// releases before raw hashes (PackageState.Raw), which still load.
const (
	stateMagic      = "RDSTATE3"
	stateMagicNoRaw = "RDSTATE2"
)

// Store keeps each repository's last committed State as one file in a
// directory. Save writes a temporary file, syncs it and renames it over the
// old one, so a crash leaves either the old state or the new one, never a
// mix; Load verifies a trailing checksum. Safe for concurrent use on
// different repositories.
//
// A Store also keeps the states it loaded or saved in memory, so a
// long-running producer does not re-read a repository's state before each
// snapshot: it assumes it is the only writer of its directory (one producer
// per data directory). States handed out are shared: treat them as
// read-only.
type Store struct {
	dir   string
	mu    sync.Mutex
	cache map[string]*State
}

// NewStore returns a store in dir, creating it if needed.
func NewStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating state directory: %w", err)
	}
	return &Store{dir: dir, cache: map[string]*State{}}, nil
}

func (s *Store) path(repo events.Repository) string {
	return filepath.Join(s.dir, strings.ReplaceAll(repo.ID(), "/", "_")+".state")
}

// Load returns the repository's committed state, or an empty one when it
// has none.
func (s *Store) Load(repo events.Repository) (*State, error) {
	s.mu.Lock()
	cached := s.cache[repo.ID()]
	s.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	path := s.path(repo)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return NewState(repo), nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading state: %w", err)
	}
	st, err := decodeState(data)
	if err != nil {
		return nil, fmt.Errorf("loading state %s: %w", path, err)
	}
	st.Repository.Name = repo.Name
	s.remember(st)
	return st, nil
}

func (s *Store) remember(st *State) {
	s.mu.Lock()
	s.cache[st.Repository.ID()] = st
	s.mu.Unlock()
}

// Save writes the state atomically.
func (s *Store) Save(st *State) error {
	path := s.path(st.Repository)
	tmp, err := os.CreateTemp(s.dir, ".state-*")
	if err != nil {
		return fmt.Errorf("saving state: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	w := bufio.NewWriterSize(tmp, 1<<20)
	if err := encodeState(w, st); err != nil {
		tmp.Close()
		return fmt.Errorf("saving state %s: %w", path, err)
	}
	if err := errors.Join(w.Flush(), tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("saving state %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving state %s: %w", path, err)
	}
	if err := syncDir(s.dir); err != nil {
		return err
	}
	s.remember(st)
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// encodeState writes: magic, repository identity, sequence, seed, time,
// the snapshot's counts, package count, then key, project, version,
// checksum and raw hash of each package in key order, then the xxhash64 of
// everything before it.
func encodeState(w io.Writer, st *State) error {
	h := xxhash.New()
	mw := io.MultiWriter(w, h)
	var b []byte
	b = append(b, stateMagic...)
	r := st.Repository
	b = appendStr(b, r.Family, r.Distribution, r.Release, r.Component, r.Architecture)
	b = binary.AppendUvarint(b, st.Sequence)
	b = binary.AppendUvarint(b, st.Seed)
	b = binary.AppendVarint(b, st.Time.UnixNano())
	c := st.Counts
	for _, n := range [...]int{c.Packages, c.Projects, c.Appeared, c.Changed, c.Disappeared, c.Unchanged} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = binary.AppendUvarint(b, uint64(len(st.Packages)))
	keys := make([]string, 0, len(st.Packages))
	for k := range st.Packages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := st.Packages[k]
		b = appendStr(b, k, p.Project, p.Version)
		b = binary.LittleEndian.AppendUint64(b, uint64(p.Checksum))
		b = binary.LittleEndian.AppendUint64(b, p.Raw)
		if len(b) > 1<<16 {
			if _, err := mw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if _, err := mw.Write(b); err != nil {
		return err
	}
	_, err := w.Write(binary.LittleEndian.AppendUint64(nil, h.Sum64()))
	return err
}

func appendStr(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

func decodeState(data []byte) (*State, error) {
	if len(data) < len(stateMagic)+8 {
		return nil, fmt.Errorf("%w: bad header", ErrCorruptState)
	}
	withRaw := string(data[:len(stateMagic)]) == stateMagic
	if !withRaw && string(data[:len(stateMagicNoRaw)]) != stateMagicNoRaw {
		return nil, fmt.Errorf("%w: bad header", ErrCorruptState)
	}
	body, trailer := data[:len(data)-8], data[len(data)-8:]
	if xxhash.Sum64(body) != binary.LittleEndian.Uint64(trailer) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorruptState)
	}
	d := decoder{b: body[len(stateMagic):]}
	var repo events.Repository
	repo.Family, repo.Distribution, repo.Release = d.str(), d.str(), d.str()
	repo.Component, repo.Architecture = d.str(), d.str()
	st := NewState(repo)
	st.Sequence, st.Seed = d.uvarint(), d.uvarint()
	st.Time = time.Unix(0, d.varint()).UTC()
	c := &st.Counts
	for _, p := range [...]*int{&c.Packages, &c.Projects, &c.Appeared, &c.Changed, &c.Disappeared, &c.Unchanged} {
		*p = int(d.uvarint())
	}
	n := d.uvarint()
	for i := uint64(0); i < n && d.err == nil; i++ {
		key, project, version := d.str(), d.str(), d.str()
		p := PackageState{Project: project, Version: version, Checksum: events.Checksum(d.u64())}
		if withRaw {
			p.Raw = d.u64()
		}
		st.Put(key, p)
	}
	if d.err == nil && len(d.b) != 0 {
		d.err = errors.New("trailing bytes")
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCorruptState, d.err)
	}
	return st, nil
}

// decoder reads the state encoding, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || uint64(len(d.b)) < n {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) u64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = io.ErrUnexpectedEOF
	}
}

func (s *Store) attemptPath(repo events.Repository) string {
	return strings.TrimSuffix(s.path(repo), ".state") + ".attempt"
}

// SaveAttempt records, durably, the sequence about to be published.
func (s *Store) SaveAttempt(repo events.Repository, seq uint64) error {
	tmp, err := os.CreateTemp(s.dir, ".attempt-*")
	if err != nil {
		return fmt.Errorf("recording attempt: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(strconv.FormatUint(seq, 10) + "\n")
	if err := errors.Join(werr, tmp.Sync(), tmp.Close(), os.Rename(tmp.Name(), s.attemptPath(repo))); err != nil {
		return fmt.Errorf("recording attempt %d of %s: %w", seq, repo.ID(), err)
	}
	return syncDir(s.dir)
}

// LoadAttempt returns the last sequence recorded by SaveAttempt (0: none).
func (s *Store) LoadAttempt(repo events.Repository) (uint64, error) {
	b, err := os.ReadFile(s.attemptPath(repo))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading attempt: %w", err)
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("reading attempt of %s: %w: %w", repo.ID(), ErrCorruptState, err)
	}
	return v, nil
}

// Dir is the store's directory.
func (s *Store) Dir() string { return s.dir }
