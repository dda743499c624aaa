package debian

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// chunk is a run of whole stanzas cut from the input, with the number of
// the line it starts on.
type chunk struct {
	data      []byte
	firstLine int
}

// splitter cuts an input stream into chunks of whole stanzas, each ending
// after a blank line (or at the end of input), so chunks can be parsed
// independently and in parallel.
type splitter struct {
	r         io.Reader
	name      string
	blockSize int
	maxStanza int
	carry     []byte
	line      int
	eof       bool
}

func newSplitter(r io.Reader, name string, blockSize, maxStanza int) *splitter {
	return &splitter{r: r, name: name, blockSize: blockSize, maxStanza: maxStanza, line: 1}
}

// next returns the next chunk, or io.EOF after the last one.
func (s *splitter) next(buf []byte) (chunk, error) {
	if s.eof && len(s.carry) == 0 {
		return chunk{}, io.EOF
	}
	size := s.blockSize
	for {
		if cap(buf) < size+len(s.carry) {
			buf = make([]byte, 0, size+len(s.carry))
		}
		buf = append(buf[:0], s.carry...)
		n, err := readFull(s.r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			return chunk{}, fmt.Errorf("reading %s near line %d: %w", s.name, s.line, err)
		}
		s.eof = len(buf) < cap(buf)
		if s.eof && len(buf) == 0 {
			s.carry = s.carry[:0]
			return chunk{}, io.EOF
		}
		cut := len(buf)
		if !s.eof {
			cut = lastBoundary(buf)
		}
		if cut > 0 {
			c := chunk{data: buf[:cut], firstLine: s.line}
			s.carry = append(s.carry[:0], buf[cut:]...)
			s.line += bytes.Count(c.data, []byte{'\n'})
			return c, nil
		}
		// One stanza larger than the block: grow, within the limit.
		if len(buf) >= s.maxStanza {
			return chunk{}, fmt.Errorf("%s:%d: %w (over %d bytes without a blank line)", s.name, s.line, ErrStanzaTooLarge, s.maxStanza)
		}
		s.carry = append(s.carry[:0], buf...)
		size = min(2*cap(buf), s.maxStanza+1)
		buf = nil
	}
}

// readFull reads until p is full or the input ends; only a real read error
// is returned (a short final read is not an error).
func readFull(r io.Reader, p []byte) (int, error) {
	n, err := io.ReadFull(r, p)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil
	}
	return n, err
}

// lastBoundary returns the offset just past the last blank line in b, or 0
// when b holds no complete blank line.
func lastBoundary(b []byte) int {
	end := len(b) // b[end] is '\n' once end < len(b)
	for end > 0 {
		j := bytes.LastIndexByte(b[:end], '\n')
		if end < len(b) && isBlank(b[j+1:end]) {
			return end + 1
		}
		if j < 0 {
			return 0
		}
		end = j
	}
	return 0
}

// isBlank reports whether a line holds only spaces, tabs and a carriage return.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
