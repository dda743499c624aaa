package input

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// Errors a caller can branch on.
var (
	ErrTooLarge         = errors.New("decompressed size over the limit")
	ErrChecksumMismatch = errors.New("SHA-256 mismatch")
)

// Options tune Open. The zero value is ready to use.
type Options struct {
	// MaxBytes caps the decompressed size (default 1 GiB): reading past it
	// is an error, so a decompression bomb cannot fill memory or disk.
	MaxBytes int64
	// SHA256 is the expected SHA-256 (hex) of the decompressed content; when
	// set, a mismatch is an error at the end of the input.
	SHA256 string
	// XZMemLimit caps the memory the xz decoder may use (default 256 MiB): an
	// xz header asking for a larger dictionary is an error.
	XZMemLimit int64
	// ReadAhead, when positive, decompresses up to that many bytes ahead of
	// the reader on a goroutine of its own, so decompression goes on while
	// the reader's consumer is busy with something else. Memory grows by at
	// most that much. Default 0: decompression keeps pace with reading.
	ReadAhead int64
	// XZBinary is the xz program that decompresses beside the parser
	// (default "xz" from PATH; Debian's xz-utils).
	XZBinary string
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 1 << 30
	}
	if o.XZMemLimit <= 0 {
		o.XZMemLimit = 256 << 20
	}
	if o.XZBinary == "" {
		o.XZBinary = "xz"
	}
	return o
}

// Compression is the kind of compression Open detected.
type Compression string

// The compressions Open recognises.
const (
	None  Compression = "none"
	Gzip  Compression = "gzip"
	XZ    Compression = "xz"
	Zstd  Compression = "zstd"
	Bzip2 Compression = "bzip2"
	LZ4   Compression = "lz4"
)

var magics = []struct {
	c     Compression
	magic []byte
}{
	{Gzip, []byte{0x1f, 0x8b}},
	{XZ, []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}},
	{Zstd, []byte{0x28, 0xb5, 0x2f, 0xfd}},
	{Bzip2, []byte("BZh")},
	{LZ4, []byte{0x04, 0x22, 0x4d, 0x18}},
}

// Reader is an opened index: Read returns decompressed content, and the
// final Read reports io.EOF only once the decompressor, the size cap and the
// checksum all agree the input is complete and intact. Close releases the
// file and any decompressor process; it is idempotent. Not safe for
// concurrent use.
type Reader struct {
	name          string
	compression   Compression
	file          *os.File
	src           io.Reader // decompressed stream
	closeSrc      func() error
	finish        func() error // called at EOF: the decompressor's verdict
	stopReadAhead func()
	maxBytes      int64
	n             int64
	sha           hash.Hash
	wantSHA       string
	closed        bool
}

// Open opens the index file at path.
func Open(ctx context.Context, path string, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening index: %w", err)
	}
	r := &Reader{name: path, file: f, maxBytes: opts.MaxBytes, wantSHA: strings.ToLower(opts.SHA256)}
	if r.wantSHA != "" {
		r.sha = sha256.New()
	}
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(8) // a short file is simply not compressed
	r.compression = detect(head)
	if err := r.startDecompressor(ctx, br, opts); err != nil {
		f.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	if opts.ReadAhead > 0 {
		ra := newReadAhead(r.src, opts.ReadAhead)
		r.src, r.stopReadAhead = ra, ra.stop
	}
	return r, nil
}

func detect(head []byte) Compression {
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.c
		}
	}
	return None
}

func (r *Reader) startDecompressor(ctx context.Context, br *bufio.Reader, opts Options) error {
	switch r.compression {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("reading gzip header: %w", err)
		}
		r.src, r.closeSrc = zr, zr.Close
	case Zstd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderMaxMemory(uint64(opts.XZMemLimit)), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return fmt.Errorf("reading zstd header: %w", err)
		}
		r.src, r.closeSrc = zr, func() error { zr.Close(); return nil }
	case Bzip2:
		r.src = bzip2.NewReader(br)
	case LZ4:
		r.src = lz4.NewReader(br) // apt's own list files on Debian and Ubuntu hosts
	case XZ:
		return r.startXZ(ctx, br, opts)
	default:
		r.src = br
	}
	return nil
}

// Name is the file name the reader was opened with.
func (r *Reader) Name() string { return r.name }

// Compression is the compression detected.
func (r *Reader) Compression() Compression { return r.compression }

// BytesRead is the decompressed size read so far.
func (r *Reader) BytesRead() int64 { return r.n }

// Read implements io.Reader over the decompressed content.
func (r *Reader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, fmt.Errorf("reading %s: %w", r.name, os.ErrClosed)
	}
	if room := r.maxBytes + 1 - r.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := r.src.Read(p)
	r.n += int64(n)
	if r.n > r.maxBytes {
		return 0, fmt.Errorf("reading %s: %w (%d bytes)", r.name, ErrTooLarge, r.maxBytes)
	}
	if r.sha != nil {
		r.sha.Write(p[:n])
	}
	if errors.Is(err, io.EOF) {
		return n, r.atEOF()
	}
	if err != nil {
		return n, fmt.Errorf("decompressing %s (%s) after %d bytes: %w", r.name, r.compression, r.n, err)
	}
	return n, nil
}

// atEOF checks the input is complete and intact; it returns io.EOF if so.
func (r *Reader) atEOF() error {
	if r.finish != nil {
		if err := r.finish(); err != nil {
			return fmt.Errorf("decompressing %s (%s) after %d bytes: %w", r.name, r.compression, r.n, err)
		}
	}
	if r.sha != nil {
		if got := hex.EncodeToString(r.sha.Sum(nil)); got != r.wantSHA {
			return fmt.Errorf("verifying %s: %w: read %s, release metadata says %s", r.name, ErrChecksumMismatch, got, r.wantSHA)
		}
	}
	return io.EOF
}

// Close releases the file and the decompressor.
func (r *Reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.stopReadAhead != nil {
		r.stopReadAhead()
	}
	var errs []error
	if r.closeSrc != nil {
		errs = append(errs, r.closeSrc())
	}
	errs = append(errs, r.file.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing %s: %w", r.name, err)
	}
	return nil
}
