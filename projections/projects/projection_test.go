package projects_test

import (
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/projects"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestProjectorSuite(t *testing.T) {
	projectortest.Run(t, projectortest.Harness{
		New:     func(db string) consumers.Projection { return projects.New(db) },
		Surface: projects.Surface,
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
		{"the live projection", projects.New("db"), "repodelta-projects"},
		{"a rebuild under another name", projects.NewNamed("shadow", "projects-rebuild"), "repodelta-projects-rebuild"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.group, consumers.Group(tt.projection.Name()))
		})
	}
}
