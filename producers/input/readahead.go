package input

import (
	"errors"
	"io"
)

// readAheadBlock is the size of the blocks read ahead.
const readAheadBlock = 1 << 20

// readAhead reads a stream ahead of its consumer, on its own goroutine, up
// to a byte budget: a decompressor keeps working while the consumer is busy
// elsewhere (for instance, while diff reads the other index). Errors arrive
// in order after the data before them. Not safe for concurrent use.
type readAhead struct {
	blocks chan block
	done   chan struct{}
	cur    []byte
	err    error
}

type block struct {
	data []byte
	err  error
}

func newReadAhead(src io.Reader, budget int64) *readAhead {
	n := max(int(budget/readAheadBlock), 1)
	ra := &readAhead{blocks: make(chan block, n), done: make(chan struct{})}
	go ra.fill(src)
	return ra
}

func (ra *readAhead) fill(src io.Reader) {
	defer close(ra.blocks)
	for {
		buf := make([]byte, readAheadBlock)
		n, err := io.ReadFull(src, buf)
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		select {
		case ra.blocks <- block{data: buf[:n], err: err}:
		case <-ra.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read returns read-ahead data, then the stream's error (io.EOF at its end).
func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		b, ok := <-ra.blocks
		if !ok {
			return 0, io.ErrClosedPipe
		}
		ra.cur, ra.err = b.data, b.err
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// stop ends the filling goroutine (once its current read returns).
func (ra *readAhead) stop() {
	select {
	case <-ra.done:
	default:
		close(ra.done)
	}
}
