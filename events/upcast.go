package events

import (
	"encoding/json"
	"fmt"
	"time"
)

// Schema version 1 is the first wire format. It differs from version 2 in
// the package payload only: the maintainer and uploaders were the index's
// raw "Name <email>" strings, and the homepage and one version control link
// were separate fields instead of a list of links. Upcasting parses the
// people and turns the URLs into links, exactly as a version 2 producer
// would have written them, so a log written by a version 1 producer replays
// into the same tables.

type envelopeV1 struct {
	Type          Type       `json:"type"`
	SchemaVersion int        `json:"schema_version"`
	Repository    Repository `json:"repository"`
	Sequence      uint64     `json:"sequence"`
	SnapshotTime  time.Time  `json:"snapshot_time"`
	Key           string     `json:"key"`
	Project       string     `json:"project"`
	Checksum      Checksum   `json:"checksum"`
	Previous      *Previous  `json:"previous"`
	Package       *packageV1 `json:"package"`
	Marker        *Marker    `json:"marker"`
}

type packageV1 struct {
	Package
	Maintainer string `json:"maintainer"`
	Uploaders  string `json:"uploaders"`
	Homepage   string `json:"homepage"`
	VCSType    string `json:"vcs_type"`
	VCSURL     string `json:"vcs_url"`
	VCSBrowser string `json:"vcs_browser"`
}

func decodeV1(b []byte) (*Envelope, error) {
	var v envelopeV1
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("decoding version 1 event: %w: %w", ErrInvalid, err)
	}
	e := &Envelope{
		Type: v.Type, SchemaVersion: SchemaVersion, Repository: v.Repository,
		Sequence: v.Sequence, SnapshotTime: v.SnapshotTime, Key: v.Key, Project: v.Project,
		Checksum: v.Checksum, Previous: v.Previous, Marker: v.Marker,
	}
	if v.Package != nil {
		e.Package = v.Package.upcast()
	}
	if err := e.Validate(); err != nil {
		return nil, fmt.Errorf("decoding version 1 event: %w", err)
	}
	return e, nil
}

func (v *packageV1) upcast() *Package {
	p := v.Package
	p.Maintainer = ParsePerson(v.Maintainer)
	p.Uploaders = ParsePeople(v.Uploaders)
	p.Links = nil
	if v.Homepage != "" {
		p.Links = append(p.Links, Link{Kind: LinkHomepage, URL: v.Homepage})
	}
	if v.VCSURL != "" {
		p.Links = append(p.Links, Link{Kind: "vcs-" + v.VCSType, URL: v.VCSURL})
	}
	if v.VCSBrowser != "" {
		p.Links = append(p.Links, Link{Kind: "vcs-browser", URL: v.VCSBrowser})
	}
	return &p
}
