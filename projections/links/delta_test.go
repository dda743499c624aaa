package links_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/links"
)

// TestADeltaWritesOnlyTheLinksItChanges applies bookworm and trixie, then
// bookworm-point as bookworm's next snapshot, and counts the rows that
// last snapshot writes into link_counts (merges stopped, so every row
// written stays a row): exactly one per (URL, kind) whose packages it
// changed, in one part.
func TestADeltaWritesOnlyTheLinksItChanges(t *testing.T) {
	ctx := context.Background()
	s := story(t)
	conn, db := projectortest.Database(t)
	p := links.New(db)
	apply(t, p, conn, s.Steps[0].Events)
	apply(t, p, conn, s.Steps[1].Events)
	require.NoError(t, conn.Exec(ctx, "SYSTEM STOP MERGES "+db+".link_counts"))
	rowsBefore := count(t, conn, "SELECT count() FROM "+db+".link_counts")
	partsBefore := activeParts(t, conn, db, "link_counts")

	apply(t, p, conn, s.Steps[2].Events)

	changed := changedLinks(packagesAfter(s.Steps[:1])[bookworm.ID()], s.Steps[2].Events)
	total := count(t, conn, "SELECT count() FROM "+db+".links")
	t.Logf("bookworm-point: %d package events change the packages of %d of %d links",
		packageEvents(s.Steps[2].Events), len(changed), total)
	require.NotEmpty(t, changed)
	assert.Less(t, uint64(len(changed))*20, total, "a point release touches few links")
	assert.Equal(t, uint64(len(changed)), count(t, conn, "SELECT count() FROM "+db+".link_counts")-rowsBefore, "rows written")
	assert.Equal(t, partsBefore+1, activeParts(t, conn, db, "link_counts"), "one part for the snapshot")
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

func packageEvents(evs []consumers.Event) int {
	n := 0
	for _, e := range evs {
		if !e.Type.IsMarker() {
			n++
		}
	}
	return n
}
