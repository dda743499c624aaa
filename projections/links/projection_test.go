package links_test

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/links"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// surface is the links projection's query surface; orphaned_at is made
// text, as the dump has no format for a nullable time.
var surface = []projectortest.Query{
	{Name: "links", SQL: "SELECT url, link_id, kind, num_packages, num_projects, num_repos," +
		" ifNull(toString(orphaned_at, 'UTC'), '') AS orphaned_at FROM {{db}}.links ORDER BY url, kind"},
	{Name: "watermarks", SQL: "SELECT projector, repository, sequence FROM {{db}}.projector_watermarks ORDER BY projector, repository"},
}

func TestProjectorSuite(t *testing.T) {
	projectortest.Run(t, projectortest.Harness{
		New:     func(db string) consumers.Projection { return links.New(db) },
		Surface: surface,
		Golden:  "testdata",
		Update:  *update,
	})
}

func TestNameIsTheConsumerGroup(t *testing.T) {
	tests := []struct {
		name       string
		projection consumers.Projection
		group      string
	}{
		{"the live projection", links.New("db"), "repodelta-links"},
		{"a rebuild under another name", links.NewNamed("shadow", "links-rebuild"), "repodelta-links-rebuild"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.group, consumers.Group(tt.projection.Name()))
		})
	}
}
