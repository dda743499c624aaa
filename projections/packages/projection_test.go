package packages_test

import (
	"flag"
	"testing"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/packages"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// surface is the packages projection's query surface.
var surface = []projectortest.Query{
	{Name: "packages", SQL: "SELECT * FROM {{db}}.packages ORDER BY repository_id, key"},
	{Name: "package_history", SQL: "SELECT * FROM {{db}}.package_history ORDER BY repository_id, sequence, key"},
	{Name: "watermarks", SQL: "SELECT projector, repository, sequence FROM {{db}}.projector_watermarks ORDER BY projector, repository"},
}

func harness() projectortest.Harness {
	return projectortest.Harness{
		New:     func(db string) consumers.Projection { return packages.New(db) },
		Surface: surface,
		Golden:  "testdata",
		Update:  *update,
	}
}

func TestProjectorSuite(t *testing.T) {
	projectortest.Run(t, harness())
}
