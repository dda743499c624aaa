package maintainers

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/events"
)

func TestPeopleOf(t *testing.T) {
	jane := events.Person{Name: "Jane Doe", Email: "jane@example.org"}
	tests := []struct {
		name    string
		pkg     events.Package
		want    []person
		strings map[uint64]string
	}{
		{
			name:    "the Maintainer, with its name",
			pkg:     events.Package{Maintainer: jane},
			want:    []person{{id: ID("jane@example.org"), nameID: ID("Jane Doe"), role: roleMaintainer}},
			strings: map[uint64]string{ID("jane@example.org"): "jane@example.org", ID("Jane Doe"): "Jane Doe"},
		},
		{
			name: "the Maintainer also an Uploader counts in both roles, an Uploader listed twice once",
			pkg: events.Package{Maintainer: jane, Uploaders: []events.Person{
				{Name: "Jane", Email: "JANE@example.org"}, {Email: "x@y.org"}, {Name: "X", Email: "x@y.org"}}},
			want: []person{
				{id: ID("jane@example.org"), nameID: ID("Jane Doe"), role: roleMaintainer},
				{id: ID("jane@example.org"), nameID: ID("Jane"), role: roleUploader},
				{id: ID("x@y.org"), role: roleUploader},
			},
			strings: map[uint64]string{ID("jane@example.org"): "jane@example.org", ID("Jane Doe"): "Jane Doe", ID("Jane"): "Jane", ID("x@y.org"): "x@y.org"},
		},
		{
			name:    "no Maintainer field: nobody",
			pkg:     events.Package{},
			strings: map[uint64]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			strs := map[uint64]string{}
			assert.Equal(t, tt.want, peopleOf(&tt.pkg, strs))
			assert.Equal(t, tt.strings, strs)
		})
	}
}
