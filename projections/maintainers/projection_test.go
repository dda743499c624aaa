package maintainers_test

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/maintainers"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// surface is the maintainers projection's query surface.
var surface = []projectortest.Query{
	{Name: "maintainers", SQL: "SELECT * FROM {{db}}.maintainers ORDER BY maintainer, maintainer_id"},
	{Name: "maintainer_repositories", SQL: "SELECT * FROM {{db}}.maintainer_repositories ORDER BY maintainer, maintainer_id, repository_id"},
	{Name: "watermarks", SQL: "SELECT projector, repository, sequence FROM {{db}}.projector_watermarks ORDER BY projector, repository"},
}

func TestProjectorSuite(t *testing.T) {
	projectortest.Run(t, projectortest.Harness{
		New:     func(db string) consumers.Projection { return maintainers.New(db) },
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
		{"the live projection", maintainers.New("db"), "repodelta-maintainers"},
		{"a rebuild under another name", maintainers.NewNamed("shadow", "maintainers-rebuild"), "repodelta-maintainers-rebuild"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.group, consumers.Group(tt.projection.Name()))
		})
	}
}
