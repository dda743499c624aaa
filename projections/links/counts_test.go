package links

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAggregate(t *testing.T) {
	home, git := pair{1, "homepage"}, pair{2, "vcs-git"}
	browser := pair{1, "vcs-browser"}
	at := time.Date(2026, 1, 3, 6, 0, 0, 0, time.UTC)
	earlier := time.Date(2026, 1, 2, 6, 0, 0, 0, time.UTC)
	rows := []stateRow{
		{repository: "r1", key: "a", project: "p", pair: home},
		{repository: "r2", key: "a", project: "p", pair: home},
		{repository: "r2", key: "b", project: "q", pair: home},
		{repository: "r2", key: "b", project: "q", pair: git},
		{repository: "r2", key: "c", project: "q", pair: pair{9, "homepage"}},
	}
	tests := []struct {
		name   string
		pairs  []pair
		before map[pair]previous
		want   []countRow
	}{
		{
			name:  "packages, projects and repositories per URL and kind",
			pairs: []pair{home, git},
			want: []countRow{
				{pair: home, packages: 3, projects: 2, repos: 2, orphanedAt: unixEpoch},
				{pair: git, packages: 1, projects: 1, repos: 1, orphanedAt: unixEpoch},
			},
		},
		{
			name:   "a pair losing its last package is orphaned now",
			pairs:  []pair{browser},
			before: map[pair]previous{browser: {packages: 2, orphanedAt: unixEpoch}},
			want:   []countRow{{pair: browser, orphanedAt: at}},
		},
		{
			name:   "a pair orphaned before keeps its time",
			pairs:  []pair{browser},
			before: map[pair]previous{browser: {orphanedAt: earlier}},
			want:   []countRow{{pair: browser, orphanedAt: earlier}},
		},
		{
			name:  "a pair never counted before is orphaned now",
			pairs: []pair{browser},
			want:  []countRow{{pair: browser, orphanedAt: at}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, aggregate(rows, tt.pairs, tt.before, at))
		})
	}
}

func TestChangedPairs(t *testing.T) {
	x := func(id uint64, kind, project string) entry { return entry{pair: pair{id, kind}, project: project} }
	tests := []struct {
		name string
		rows []pendingRow
		want []pair
	}{
		{"an appeared package touches its links", []pendingRow{{key: "k", entries: []entry{x(2, "vcs-git", "p"), x(1, "homepage", "p")}}},
			[]pair{{1, "homepage"}, {2, "vcs-git"}}},
		{"a version bump touches nothing", []pendingRow{
			{key: "k", entries: []entry{x(1, "homepage", "p")}},
			{key: "k", before: true, entries: []entry{x(1, "homepage", "p")}},
		}, []pair{}},
		{"a new homepage touches the old and the new", []pendingRow{
			{key: "k", entries: []entry{x(2, "homepage", "p")}},
			{key: "k", before: true, entries: []entry{x(1, "homepage", "p")}},
		}, []pair{{1, "homepage"}, {2, "homepage"}}},
		{"another kind or project touches the link", []pendingRow{
			{key: "k", entries: []entry{x(1, "vcs-browser", "p")}},
			{key: "k", before: true, entries: []entry{x(1, "homepage", "p")}},
			{key: "l", entries: []entry{x(3, "homepage", "q")}},
			{key: "l", before: true, entries: []entry{x(3, "homepage", "p")}},
		}, []pair{{1, "homepage"}, {1, "vcs-browser"}, {3, "homepage"}}},
		{"a disappeared package touches its links", []pendingRow{
			{key: "k"},
			{key: "k", before: true, entries: []entry{x(4, "homepage", "p")}},
		}, []pair{{4, "homepage"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, changedPairs(tt.rows))
		})
	}
}
