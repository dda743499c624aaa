// Package formats maps the names of repository index formats, as the
// configuration and the CLI spell them, to their parsers.
package formats
