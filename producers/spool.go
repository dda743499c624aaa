package producers

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/repodelta/repodelta/events"
)

// Record is one spooled event: its type and project (what a publisher needs
// to route it) and its encoded wire form.
type Record struct {
	Type    events.Type
	Project string
	Value   []byte
}

// Spool is a Sink that holds a snapshot's encoded events in a temporary file
// until the whole index has been read, verified and passed the guards; only
// then are they replayed to the real publisher. A broken index therefore
// publishes nothing, and memory stays flat however many events a snapshot
// has. Not safe for concurrent use; Close removes the file.
type Spool struct {
	f     *os.File
	w     *bufio.Writer
	count int
}

// NewSpool creates a spool file in dir (the system's temporary directory
// when dir is "").
func NewSpool(dir string) (*Spool, error) {
	f, err := os.CreateTemp(dir, "spool-*.events")
	if err != nil {
		return nil, fmt.Errorf("creating spool: %w", err)
	}
	return &Spool{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// Len is the number of events spooled.
func (s *Spool) Len() int { return s.count }

// Emit encodes and spools one event.
func (s *Spool) Emit(e *events.Envelope) error {
	b, err := events.Encode(e)
	if err != nil {
		return err
	}
	var hdr []byte
	hdr = binary.AppendUvarint(hdr, uint64(len(e.Type)))
	hdr = append(hdr, e.Type...)
	hdr = binary.AppendUvarint(hdr, uint64(len(e.Project)))
	hdr = append(hdr, e.Project...)
	hdr = binary.AppendUvarint(hdr, uint64(len(b)))
	if _, err := s.w.Write(hdr); err != nil {
		return fmt.Errorf("spooling %s: %w", e.ID(), err)
	}
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("spooling %s: %w", e.ID(), err)
	}
	s.count++
	return nil
}

// Replay calls fn with every spooled record in order. The record's Value
// is only valid during the call.
func (s *Spool) Replay(fn func(Record) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("flushing spool: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewinding spool: %w", err)
	}
	r := bufio.NewReaderSize(s.f, 1<<20)
	var buf []byte
	for {
		typ, err := readBytes(r, &buf)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading spool: %w", err)
		}
		rec := Record{Type: events.Type(typ)}
		p, err := readBytes(r, &buf)
		if err != nil {
			return fmt.Errorf("reading spool: %w", err)
		}
		rec.Project = string(p)
		if rec.Value, err = readBytes(r, &buf); err != nil {
			return fmt.Errorf("reading spool: %w", err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

func readBytes(r *bufio.Reader, buf *[]byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err
	}
	if uint64(cap(*buf)) < n {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w", io.ErrUnexpectedEOF)
	}
	return b, nil
}

// Close removes the spool file; it is idempotent.
func (s *Spool) Close() error {
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	err := errors.Join(s.f.Close(), os.Remove(name))
	s.f = nil
	if err != nil {
		return fmt.Errorf("removing spool %s: %w", name, err)
	}
	return nil
}
