package projects

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func member(repo, version string) pkg {
	return pkg{project: "foo", repositoryID: repo, key: "foo/" + repo + "/" + version, repository: repo, family: "debian", version: version}
}

func TestHistory(t *testing.T) {
	tests := []struct {
		name     string
		was, now []pkg
		want     []historyRow
	}{
		{"a new project: its newest version and the repository that added it",
			nil,
			[]pkg{member("trixie", "2.0-1")},
			[]historyRow{
				{project: "foo", event: eventNewestChanged, repositoryID: "snap", repository: "snap-name", newVersion: "2.0"},
				{project: "foo", event: eventAdded, repositoryID: "trixie", repository: "trixie", newVersion: "2.0"},
			}},
		{"a repository takes a newer version: the newest changes and the other falls behind",
			[]pkg{member("bookworm", "1.0-1"), member("trixie", "1.0-1")},
			[]pkg{member("bookworm", "1.0-1"), member("trixie", "2.0-1")},
			[]historyRow{
				{project: "foo", event: eventNewestChanged, repositoryID: "snap", repository: "snap-name", oldVersion: "1.0", newVersion: "2.0"},
				{project: "foo", event: eventFellBehind, repositoryID: "bookworm", repository: "bookworm", oldVersion: "1.0", newVersion: "1.0"},
			}},
		{"a repository reaches the newest version: it caught up",
			[]pkg{member("bookworm", "1.0-1"), member("trixie", "2.0-1")},
			[]pkg{member("bookworm", "2.0-1"), member("trixie", "2.0-1")},
			[]historyRow{
				{project: "foo", event: eventCaughtUp, repositoryID: "bookworm", repository: "bookworm", oldVersion: "1.0", newVersion: "2.0"},
			}},
		{"a repository drops the project",
			[]pkg{member("bookworm", "1.0-1"), member("trixie", "2.0-1")},
			[]pkg{member("trixie", "2.0-1")},
			[]historyRow{
				{project: "foo", event: eventRemoved, repositoryID: "bookworm", repository: "bookworm", oldVersion: "1.0"},
			}},
		{"the last repository drops it: the newest version goes too",
			[]pkg{member("trixie", "2.0-1")},
			nil,
			[]historyRow{
				{project: "foo", event: eventNewestChanged, repositoryID: "snap", repository: "snap-name", oldVersion: "2.0"},
				{project: "foo", event: eventRemoved, repositoryID: "trixie", repository: "trixie", oldVersion: "2.0"},
			}},
		{"a rebuild that changes no version changes nothing",
			[]pkg{member("trixie", "2.0-1")},
			[]pkg{member("trixie", "2.0-1+b1")},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, c := computeProject("foo", tt.was), computeProject("foo", tt.now)
			assert.Equal(t, tt.want, c.history(&old, "snap", "snap-name"))
		})
	}
}

func TestComputeProject(t *testing.T) {
	a, b := member("bookworm", "1.0-1"), member("bookworm", "1.1-1")
	a.maintainer, b.maintainer = "x@example.org", "x@example.org"
	c := member("trixie", "1.1-2")
	c.maintainer, c.family = "y@example.org", "ubuntu"
	got := computeProject("foo", []pkg{a, b, c})

	assert.Equal(t, projectRow{project: "foo", repos: 2, families: 2, packages: 3, newest: "1.1",
		repositories: []string{"bookworm", "trixie"}, maintainers: []string{"x@example.org", "y@example.org"},
		counts: counts{2, 0, 1, 0, 0, 0}}, got.row)
	bookworm := got.repos["bookworm"]
	assert.Equal(t, uint64(2), bookworm.packages)
	assert.Equal(t, "1.1", bookworm.best)
	assert.Equal(t, []string{"x@example.org"}, bookworm.maintainers)
	assert.True(t, bookworm.hasNewest())
	assert.Equal(t, []Status{Legacy, Newest, Newest}, []Status{got.statuses[0].status, got.statuses[1].status, got.statuses[2].status})
}

func TestStampKeepsTheFirstSightingAndTheLastChange(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name              string
		was               stored
		at                time.Time
		first, lastChange time.Time
	}{
		{"a new project was first seen now", stored{}, day(5), day(5), day(5)},
		{"a later snapshot moves last_changed only", stored{exists: true, firstSeen: day(1), lastChanged: day(3)}, day(5), day(1), day(5)},
		{"an earlier snapshot of another repository moves first_seen only", stored{exists: true, firstSeen: day(4), lastChanged: day(6)}, day(2), day(2), day(6)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := computeProject("foo", []pkg{member("trixie", "1.0-1")})
			c.stamp(tt.was, tt.at)
			assert.Equal(t, tt.first, c.row.firstSeen)
			assert.Equal(t, tt.lastChange, c.row.lastChanged)
		})
	}
}

func TestTotalsCountTheDifference(t *testing.T) {
	old := computeProject("foo", []pkg{member("bookworm", "1.0-1"), member("trixie", "1.0-1")})
	now := computeProject("foo", []pkg{member("bookworm", "1.0-1"), member("trixie", "2.0-1"), member("trixie", "1.0-1")})
	tot := newTotals()
	tot.count(&old, &now)
	assert.Equal(t, &tally{counts: [6]int64{0, 1, 0, 0, -1, 0}, outdatedProjects: 1}, tot.repos["bookworm"])
	assert.Equal(t, &tally{packages: 1, counts: [6]int64{0, 0, 1, 0, 0, 0}}, tot.repos["trixie"])
	assert.Equal(t, int64(0), tot.projects)
	assert.Equal(t, int64(1), tot.outdatedProjects)
}
