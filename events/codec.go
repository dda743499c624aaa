package events

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error Decode returns for input that is not
// a valid event: such a record belongs on the poison topic, retrying it
// cannot help.
var ErrInvalid = errors.New("invalid event")

// Encode returns the JSON wire form of e at the current SchemaVersion.
func Encode(e *Envelope) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("encoding %s: %w", e.ID(), err)
	}
	out := *e
	out.SchemaVersion = SchemaVersion
	b, err := json.Marshal(&out)
	if err != nil {
		return nil, fmt.Errorf("encoding %s: %w", e.ID(), err)
	}
	return b, nil
}

// Decode reads one event in any schema version this release knows,
// upcasting older versions to the current Envelope. Errors wrap ErrInvalid.
func Decode(b []byte) (*Envelope, error) {
	var e Envelope
	err := json.Unmarshal(b, &e)
	switch {
	case e.SchemaVersion == 1:
		// Version 1 payloads do not fit today's types; decode them as such.
		return decodeV1(b)
	case err != nil:
		return nil, fmt.Errorf("decoding event: %w: %w", ErrInvalid, err)
	case e.SchemaVersion != SchemaVersion:
		return nil, fmt.Errorf("decoding event: %w: unknown schema version %d", ErrInvalid, e.SchemaVersion)
	}
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("decoding event: %w", err)
	}
	return &e, nil
}

// Validate checks the envelope is complete for its type. Errors wrap
// ErrInvalid.
func (e *Envelope) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	switch {
	case !e.Type.known():
		return bad("unknown type %q", e.Type)
	case e.Repository.Family == "":
		return bad("%s without repository family", e.Type)
	case e.Sequence == 0:
		return bad("%s without snapshot sequence", e.Type)
	case e.Type.IsMarker() && e.Marker == nil:
		return bad("%s without marker payload", e.Type)
	case e.Type.IsMarker():
		return nil
	case e.Key == "" || e.Project == "":
		return bad("%s without package key or project", e.Type)
	case e.Type != PackageDisappeared && e.Package == nil:
		return bad("%s %s without package payload", e.Type, e.Key)
	case e.Type != PackageAppeared && e.Previous == nil:
		return bad("%s %s without previous state", e.Type, e.Key)
	}
	return nil
}

func (t Type) known() bool {
	for _, k := range Types {
		if t == k {
			return true
		}
	}
	return false
}
