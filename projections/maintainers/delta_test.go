package maintainers_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
	"github.com/repodelta/repodelta/projections/maintainers"
)

// TestADeltaWritesOnlyTheMaintainersItChanges applies bookworm and trixie,
// then bookworm-point as bookworm's next snapshot, and counts the rows
// that last snapshot writes into maintainer_counts (merges stopped, so
// every row written stays a row): exactly two per maintainer whose
// packages it changed (over all repositories, in bookworm), in one part.
func TestADeltaWritesOnlyTheMaintainersItChanges(t *testing.T) {
	ctx := context.Background()
	s := stagedtest.Story(t)
	conn, db := projectortest.Database(t)
	p := maintainers.New(db)
	stagedtest.Apply(t, p, conn, s.Steps[0].Events)
	stagedtest.Apply(t, p, conn, s.Steps[1].Events)
	require.NoError(t, conn.Exec(ctx, "SYSTEM STOP MERGES "+db+".maintainer_counts"))
	rowsBefore := stagedtest.Count(t, conn, "SELECT count() FROM "+db+".maintainer_counts")
	partsBefore := stagedtest.ActiveParts(t, conn, db, "maintainer_counts")

	stagedtest.Apply(t, p, conn, s.Steps[2].Events)

	changed := changedMaintainers(stagedtest.PackagesAfter(s.Steps[:1])[stagedtest.Bookworm.ID()], s.Steps[2].Events)
	total := stagedtest.Count(t, conn, "SELECT count() FROM "+db+".maintainers")
	t.Logf("bookworm-point: %d package events change the packages of %d of %d maintainers",
		stagedtest.PackageEvents(s.Steps[2].Events), len(changed), total)
	require.NotEmpty(t, changed)
	assert.Less(t, uint64(len(changed))*20, total, "a point release touches few maintainers")
	assert.Equal(t, uint64(2*len(changed)), stagedtest.Count(t, conn, "SELECT count() FROM "+db+".maintainer_counts")-rowsBefore,
		"rows written: one over all repositories and one in bookworm per maintainer changed")
	assert.Equal(t, partsBefore+1, stagedtest.ActiveParts(t, conn, db, "maintainer_counts"), "one part for the snapshot")
}

// changedMaintainers returns the maintainers whose (package, role, name,
// project) entries differ between the packages before and the delta.
func changedMaintainers(before map[string]consumers.Event, delta []consumers.Event) map[uint64]bool {
	type entry struct {
		id      uint64
		role    int
		name    string
		project string
	}
	entries := func(e consumers.Event) map[entry]bool {
		out := map[entry]bool{}
		if e.Envelope == nil || e.Package == nil {
			return out
		}
		seen := map[role]bool{}
		add := func(ps events.Person, r int) {
			m, name := maintainers.Normalize(ps)
			if k := (role{maintainers.ID(m), r}); m != "" && !seen[k] {
				seen[k] = true
				out[entry{k.id, r, name, e.Project}] = true
			}
		}
		add(e.Package.Maintainer, 0)
		for _, u := range e.Package.Uploaders {
			add(u, 1)
		}
		return out
	}
	changed := map[uint64]bool{}
	for _, e := range delta {
		if e.Type.IsMarker() {
			continue
		}
		old, new := entries(before[e.Key]), entries(e)
		for x := range old {
			if !new[x] {
				changed[x.id] = true
			}
		}
		for x := range new {
			if !old[x] {
				changed[x.id] = true
			}
		}
	}
	return changed
}
