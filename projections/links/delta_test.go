package links_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
	"github.com/repodelta/repodelta/projections/links"
)

// TestADeltaWritesOnlyTheLinksItChanges applies bookworm and trixie, then
// bookworm-point as bookworm's next snapshot, and counts the rows that
// last snapshot writes into link_counts (merges stopped, so every row
// written stays a row): exactly one per (URL, kind) whose packages it
// changed, in one part.
func TestADeltaWritesOnlyTheLinksItChanges(t *testing.T) {
	ctx := context.Background()
	s := stagedtest.Story(t)
	conn, db := projectortest.Database(t)
	p := links.New(db)
	stagedtest.Apply(t, p, conn, s.Steps[0].Events)
	stagedtest.Apply(t, p, conn, s.Steps[1].Events)
	require.NoError(t, conn.Exec(ctx, "SYSTEM STOP MERGES "+db+".link_counts"))
	rowsBefore := stagedtest.Count(t, conn, "SELECT count() FROM "+db+".link_counts")
	partsBefore := stagedtest.ActiveParts(t, conn, db, "link_counts")

	stagedtest.Apply(t, p, conn, s.Steps[2].Events)

	changed := changedLinks(stagedtest.PackagesAfter(s.Steps[:1])[stagedtest.Bookworm.ID()], s.Steps[2].Events)
	total := stagedtest.Count(t, conn, "SELECT count() FROM "+db+".links")
	t.Logf("bookworm-point: %d package events change the packages of %d of %d links",
		stagedtest.PackageEvents(s.Steps[2].Events), len(changed), total)
	require.NotEmpty(t, changed)
	assert.Less(t, uint64(len(changed))*20, total, "a point release touches few links")
	assert.Equal(t, uint64(len(changed)), stagedtest.Count(t, conn, "SELECT count() FROM "+db+".link_counts")-rowsBefore, "rows written")
	assert.Equal(t, partsBefore+1, stagedtest.ActiveParts(t, conn, db, "link_counts"), "one part for the snapshot")
}

// changedLinks returns the (URL, kind) pairs whose (package, project)
// entries differ between the packages before and the delta.
func changedLinks(before map[string]consumers.Event, delta []consumers.Event) map[pair]bool {
	type entry struct {
		pair
		project string
	}
	entries := func(e consumers.Event) map[entry]bool {
		out := map[entry]bool{}
		if e.Envelope != nil && e.Package != nil {
			for _, k := range pairsOf(e.Package) {
				out[entry{k, e.Project}] = true
			}
		}
		return out
	}
	changed := map[pair]bool{}
	for _, e := range delta {
		if e.Type.IsMarker() {
			continue
		}
		old, new := entries(before[e.Key]), entries(e)
		for x := range old {
			if !new[x] {
				changed[x.pair] = true
			}
		}
		for x := range new {
			if !old[x] {
				changed[x.pair] = true
			}
		}
	}
	return changed
}
