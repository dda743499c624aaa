package debian

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/repodelta/repodelta/producers"
)

// Options tune Scan. The zero value is ready to use.
type Options struct {
	// Seed is the hashing seed of package checksums (default 0).
	Seed uint64
	// Workers is the number of parsing goroutines (default GOMAXPROCS).
	Workers int
	// BlockSize is the size of the chunks the input is cut into for parallel
	// parsing (default 1 MiB).
	BlockSize int
	// MaxStanza is the largest stanza accepted (default 4 MiB); a larger one
	// is an error naming its line, never a silent truncation.
	MaxStanza int
	// Known is the previous snapshot (may be nil): a stanza it listed byte
	// for byte, hashed with the same seed, is not parsed again when it
	// keeps its key; only its name, version and architecture are read.
	Known producers.Known
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BlockSize <= 0 {
		o.BlockSize = 1 << 20
	}
	if o.MaxStanza <= 0 {
		o.MaxStanza = 4 << 20
	}
	return o
}

// job is one chunk on its way through the workers; done closes when its
// results are ready. Jobs are handed to the consumer in input order.
type job struct {
	chunk  chunk
	result []parsed
	err    error
	done   chan struct{}
}

// Scan reads a Debian index (uncompressed: see Open for compressed files)
// and calls fn with each package in index order, keys assigned. name is the
// file name used in errors. Parsing runs on Options.Workers goroutines while
// fn runs on the caller's; if fn returns an error, Scan stops and returns it.
// Memory is bounded by a few blocks per worker, whatever the input size.
//
// The strings of an Entry's Package share memory with the block of input
// it was parsed from: a caller keeping a few strings for long should clone
// them (strings.Clone), or it keeps the whole block alive.
func Scan(ctx context.Context, r io.Reader, name string, opts Options, fn func(*producers.Entry) error) error {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	work := make(chan *job, opts.Workers)
	ordered := make(chan *job, 2*opts.Workers)
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newStanzaParser(name, opts.Seed, opts.Known)
			for j := range work {
				j.result, j.err = p.parseChunk(j.chunk, nil)
				close(j.done)
			}
		}()
	}
	go func() {
		defer close(ordered)
		defer close(work)
		sp := newSplitter(r, name, opts.BlockSize, opts.MaxStanza)
		for {
			// A fresh buffer per chunk: the packages parsed from it point
			// into it, so it is never reused.
			c, err := sp.next(make([]byte, 0, opts.BlockSize+opts.BlockSize/4))
			if errors.Is(err, io.EOF) {
				return
			}
			j := &job{chunk: c, err: err, done: make(chan struct{})}
			if err != nil {
				close(j.done)
				ordered <- j
				return
			}
			select {
			case ordered <- j:
			case <-ctx.Done():
				return
			}
			select {
			case work <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	err := consume(ctx, ordered, newKeyer(name, newStanzaParser(name, opts.Seed, nil)), fn)
	cancel()
	for range ordered { // let the splitter finish
	}
	wg.Wait()
	return err
}

func consume(ctx context.Context, ordered <-chan *job, k *keyer, fn func(*producers.Entry) error) error {
	for j := range ordered {
		select {
		case <-j.done:
		case <-ctx.Done():
			return fmt.Errorf("scanning: %w", ctx.Err())
		}
		if j.err != nil {
			return j.err
		}
		for i := range j.result {
			if err := k.add(&j.result[i], fn); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("scanning: %w", err)
	}
	return k.flush(fn)
}
