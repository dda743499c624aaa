// Package input opens repository index files for parsers: it detects
// compression by content (gzip, xz, zstd, bzip2, lz4 or none), decompresses as a
// stream beside the parser, caps the decompressed size with an error (never
// a silent truncation), and can check the SHA-256 of what it read against a
// value from signed release metadata. Every error names the file.
package input
