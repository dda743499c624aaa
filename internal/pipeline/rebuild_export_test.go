package pipeline

import (
	"context"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/internal/config"
)

// ReplayForTest projects the whole log from scratch into o's database
// with every projection named name+suffix (new consumer groups), until
// caught up: the reference a rebuild must equal.
func ReplayForTest(ctx context.Context, o Options, s *Services, cfg *config.Config, suffix string) error {
	projs := make([]consumers.Projection, 0, len(projections))
	for _, name := range ProjectionNames() {
		projs = append(projs, projections[name](o.database(), name+suffix))
	}
	return project(ctx, o, s, cfg, projs, true, nil)
}

// OwnedTablesForTest are the tables each projection owns.
func OwnedTablesForTest() map[string][]string { return ownedTables }
