package events_test

import (
	"time"

	"github.com/repodelta/repodelta/events"
)

var exampleRepo = events.Repository{Name: "debian-bookworm", Family: "debian", Distribution: "debian", Release: "bookworm", Component: "main", Architecture: "amd64"}

var exampleTime = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func examplePackage() *events.Package {
	return &events.Package{
		Name: "zlib1g", Version: "1:1.2.13.dfsg-1", Architecture: "amd64", Kind: events.KindBinary,
		SourceName: "zlib", SourceVersion: "1:1.2.13.dfsg-1",
		Maintainer: events.Person{Name: "Mark Brown", Email: "broonie@debian.org"},
		Uploaders:  []events.Person{{Name: "A. Uploader", Email: "up@example.org"}},
		Links: []events.Link{
			{Kind: events.LinkHomepage, URL: "http://zlib.net/"},
			{Kind: "vcs-git", URL: "https://salsa.debian.org/debian/zlib.git"},
		},
		Section: "libs", Priority: "required", Summary: "compression library - runtime",
		InstalledSize: 164, Size: 87604, Filename: "pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb",
		SHA256: "d7dd1d1411fedf27f5e27650a6eff20ef294077b568f4c8c5e51466dc7c08ce4", MultiArch: "same",
		Tags:      []string{"role::shared-lib"},
		Relations: events.Relations{Depends: "libc6 (>= 2.14)", Breaks: "libxml2 (<< 2.7.6.dfsg-2), texlive-binaries (<< 2009-12)"},
	}
}

// examples holds one event of each type, as a version 2 producer writes it.
func examples() map[events.Type]*events.Envelope {
	base := func(t events.Type) *events.Envelope {
		return &events.Envelope{Type: t, SchemaVersion: events.SchemaVersion, Repository: exampleRepo, Sequence: 7, SnapshotTime: exampleTime}
	}
	appeared := base(events.PackageAppeared)
	appeared.Key, appeared.Project, appeared.Checksum, appeared.Package = "zlib1g/amd64", "zlib", 0x0123456789abcdef, examplePackage()

	changed := base(events.PackageChanged)
	*changed = *appeared
	changed.Type = events.PackageChanged
	changed.Previous = &events.Previous{Version: "1:1.2.13.dfsg-0", Checksum: 0xfedcba9876543210}

	gone := base(events.PackageDisappeared)
	gone.Key, gone.Project, gone.Checksum = "zlib1g/amd64", "zlib", 0xfedcba9876543210
	gone.Previous = &events.Previous{Version: "1:1.2.13.dfsg-1", Checksum: 0xfedcba9876543210}

	started := base(events.SnapshotStarted)
	started.Marker = &events.Marker{PreviousSequence: 6, Partition: 2, Partitions: 4, Source: "bookworm_main_amd64_Packages.xz"}

	committed := base(events.SnapshotCommitted)
	committed.Marker = &events.Marker{
		PreviousSequence: 6, Partition: 2, Partitions: 4, Source: "bookworm_main_amd64_Packages.xz", HashSeed: 1,
		Counts:             events.Counts{Packages: 63666, Projects: 34172, Appeared: 230, Changed: 1016, Disappeared: 4, Unchanged: 62420},
		PackagesetChecksum: 0x00ff00ff00ff00ff,
	}
	return map[events.Type]*events.Envelope{
		events.PackageAppeared: appeared, events.PackageChanged: changed, events.PackageDisappeared: gone,
		events.SnapshotStarted: started, events.SnapshotCommitted: committed,
	}
}
