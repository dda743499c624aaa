package debian

import (
	"errors"
	"fmt"
)

// Errors a caller can branch on; each reaches the caller inside a *ParseError
// naming the file and line (errors.Is sees through it).
var (
	ErrSyntax           = errors.New("malformed line")
	ErrMissingField     = errors.New("missing required field")
	ErrRepeatedField    = errors.New("repeated field")
	ErrInvalidUTF8      = errors.New("invalid UTF-8")
	ErrStanzaTooLarge   = errors.New("stanza too large")
	ErrDuplicatePackage = errors.New("conflicting duplicate package")
	ErrBadNumber        = errors.New("malformed number")
)

// ParseError is an error in an index, with the place it was found.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }
