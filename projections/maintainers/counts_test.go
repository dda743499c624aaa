package maintainers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAggregate(t *testing.T) {
	const a, b, nameX, nameY = 100, 200, 7, 3
	rows := []stateRow{
		{repository: "r1", key: "k1", project: "p1", id: a, nameID: nameX, role: roleMaintainer},
		{repository: "r1", key: "k2", project: "p1", id: a, nameID: nameY, role: roleMaintainer},
		{repository: "r2", key: "k1", project: "p2", id: a, nameID: nameX, role: roleMaintainer},
		{repository: "r2", key: "k3", project: "p2", id: a, nameID: nameX, role: roleUploader},
		{repository: "r2", key: "k3", project: "p2", id: b, role: roleMaintainer},
		{repository: "r1", key: "k9", project: "p9", id: 999, nameID: 5, role: roleMaintainer},
	}
	tests := []struct {
		name string
		ids  []uint64
		repo string
		want []countRow
	}{
		{
			name: "counts per role over all repositories, then in the snapshot's one",
			ids:  []uint64{a},
			repo: "r1",
			want: []countRow{
				{id: a, nameID: nameX, maintainer: counts{packages: 3, projects: 2, repos: 2}, upload: counts{packages: 1, projects: 1, repos: 1}},
				{id: a, repository: "r1", maintainer: counts{packages: 2, projects: 1}},
			},
		},
		{
			name: "a maintainer with no name given is named by itself",
			ids:  []uint64{b},
			repo: "r2",
			want: []countRow{
				{id: b, nameID: b, maintainer: counts{packages: 1, projects: 1, repos: 1}},
				{id: b, repository: "r2", maintainer: counts{packages: 1, projects: 1}},
			},
		},
		{
			name: "a maintainer without packages left gets zero counts",
			ids:  []uint64{42},
			repo: "r1",
			want: []countRow{{id: 42, nameID: 42}, {id: 42, repository: "r1"}},
		},
		{
			name: "rows come sorted by id, other maintainers ignored",
			ids:  []uint64{b, 42},
			repo: "r1",
			want: []countRow{
				{id: 42, nameID: 42}, {id: 42, repository: "r1"},
				{id: b, nameID: b, maintainer: counts{packages: 1, projects: 1, repos: 1}}, {id: b, repository: "r1"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, aggregate(rows, tt.ids, tt.repo))
		})
	}
}

func TestDisplayNameIsTheMostGivenThenTheSmallerID(t *testing.T) {
	tests := []struct {
		name  string
		votes map[uint64]uint64
		want  uint64
	}{
		{"the name most entries give", map[uint64]uint64{9: 3, 4: 1}, 9},
		{"the smaller id on a tie", map[uint64]uint64{9: 2, 4: 2, 6: 2}, 4},
		{"no name: the maintainer itself", map[uint64]uint64{}, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := newTally()
			tl.votes = tt.votes
			assert.Equal(t, tt.want, tl.name(1000))
		})
	}
}

func TestChangedIDs(t *testing.T) {
	x := func(id, name uint64, project string) entry {
		return entry{id: id, nameID: name, role: roleMaintainer, project: project}
	}
	tests := []struct {
		name string
		rows []pendingRow
		want []uint64
	}{
		{"an appeared package touches its people", []pendingRow{{key: "k", entries: []entry{x(1, 0, "p"), x(2, 0, "p")}}}, []uint64{1, 2}},
		{"a version bump touches nobody", []pendingRow{
			{key: "k", entries: []entry{x(1, 5, "p")}},
			{key: "k", before: true, entries: []entry{x(1, 5, "p")}},
		}, nil},
		{"a new maintainer touches the old and the new", []pendingRow{
			{key: "k", entries: []entry{x(2, 0, "p")}},
			{key: "k", before: true, entries: []entry{x(1, 0, "p")}},
		}, []uint64{1, 2}},
		{"another name or project touches the maintainer", []pendingRow{
			{key: "k", entries: []entry{x(1, 6, "p")}},
			{key: "k", before: true, entries: []entry{x(1, 5, "p")}},
			{key: "l", entries: []entry{x(3, 0, "q")}},
			{key: "l", before: true, entries: []entry{x(3, 0, "p")}},
		}, []uint64{1, 3}},
		{"a disappeared package touches its people", []pendingRow{
			{key: "k"},
			{key: "k", before: true, entries: []entry{x(4, 0, "p")}},
		}, []uint64{4}},
		{"duplicated rows change nothing", []pendingRow{
			{key: "k", entries: []entry{x(1, 5, "p")}},
			{key: "k", entries: []entry{x(1, 5, "p")}},
			{key: "k", before: true, entries: []entry{x(1, 5, "p")}},
			{key: "k", before: true, entries: []entry{x(1, 5, "p")}},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, changedIDs(tt.rows))
		})
	}
}
