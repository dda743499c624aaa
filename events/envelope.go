package events

import (
	"strconv"
	"time"
)

// Type is the kind of an event.
type Type string

// The event types. Package events carry a Package (appeared, changed) or
// the previous version (disappeared); snapshot markers bracket every
// snapshot and are written to every partition, so each partition knows when
// a snapshot is complete.
const (
	PackageAppeared    Type = "package.appeared"
	PackageChanged     Type = "package.changed"
	PackageDisappeared Type = "package.disappeared"
	SnapshotStarted    Type = "snapshot.started"
	SnapshotCommitted  Type = "snapshot.committed"
)

// Types lists every event type, in a stable order.
var Types = []Type{PackageAppeared, PackageChanged, PackageDisappeared, SnapshotStarted, SnapshotCommitted}

// IsMarker reports whether t is a snapshot marker.
func (t Type) IsMarker() bool { return t == SnapshotStarted || t == SnapshotCommitted }

// SchemaVersion is the version of the wire format this release writes.
// Decode reads every earlier version too (see upcast.go).
const SchemaVersion = 2

// Envelope is one event. Its identity (ID) is deterministic — repository,
// snapshot sequence and package key — so a duplicate written by a retried
// produce is recognisable, and replaying the log gives the same events.
type Envelope struct {
	Type          Type       `json:"type"`
	SchemaVersion int        `json:"schema_version"`
	Repository    Repository `json:"repository"`
	// Sequence numbers the repository's snapshots: monotonic per repository,
	// starting at 1.
	Sequence     uint64    `json:"sequence"`
	SnapshotTime time.Time `json:"snapshot_time"`
	// Key identifies the package within the repository (package events only):
	// name/architecture, plus @version where the index lists that name and
	// architecture more than once.
	Key string `json:"key,omitempty"`
	// Project is the package's cross-repository grouping and the Kafka key.
	Project string `json:"project,omitempty"`
	// Checksum is the package's checksum: the new one for appeared and
	// changed, the last one for disappeared. Markers leave it zero.
	Checksum Checksum `json:"checksum"`
	// Previous describes the package before a change or disappearance.
	Previous *Previous `json:"previous,omitempty"`
	// Package is the payload of appeared and changed events.
	Package *Package `json:"package,omitempty"`
	// Marker is the payload of snapshot markers.
	Marker *Marker `json:"marker,omitempty"`
}

// Previous is what a changed or disappeared event says of the package's
// last committed state.
type Previous struct {
	Version  string   `json:"version"`
	Checksum Checksum `json:"checksum"`
}

// Marker is the payload of a snapshot started or committed event.
type Marker struct {
	// PreviousSequence is the committed snapshot this one was diffed
	// against (0 when there was none).
	PreviousSequence uint64 `json:"previous_sequence"`
	// Partition and Partitions say which copy of the marker this is: it is
	// written once to each of Partitions partitions.
	Partition  int32 `json:"partition"`
	Partitions int32 `json:"partitions"`
	// Source names where the snapshot was read from (a file or URL).
	Source string `json:"source,omitempty"`
	// Forced is set when the snapshot passed the removal guards only because
	// the operator forced it.
	Forced bool `json:"forced,omitempty"`
	// HashSeed is the hashing seed the snapshot's checksums were computed
	// with.
	HashSeed uint64 `json:"hash_seed"`
	// The counts and checksum below are set on the commit marker only.
	Counts             Counts      `json:"counts"`
	PackagesetChecksum SetChecksum `json:"packageset_checksum"`
}

// Counts are what a snapshot holds and what it emitted.
type Counts struct {
	Packages    int `json:"packages"`
	Projects    int `json:"projects"`
	Appeared    int `json:"appeared"`
	Changed     int `json:"changed"`
	Disappeared int `json:"disappeared"`
	Unchanged   int `json:"unchanged"`
}

// Events is the number of package events the snapshot emitted.
func (c Counts) Events() int { return c.Appeared + c.Changed + c.Disappeared }

// ID returns the event's deterministic identity:
// "<repository id>@<sequence>/<key>" for package events and
// "<repository id>@<sequence>!<type>#<partition>" for markers.
func (e *Envelope) ID() string {
	id := e.Repository.ID() + "@" + strconv.FormatUint(e.Sequence, 10)
	if e.Type.IsMarker() {
		var part int32
		if e.Marker != nil {
			part = e.Marker.Partition
		}
		return id + "!" + string(e.Type) + "#" + strconv.FormatInt(int64(part), 10)
	}
	return id + "/" + e.Key
}
