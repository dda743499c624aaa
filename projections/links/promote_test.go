package links

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
)

var surface = []projectortest.Query{
	{Name: "links", SQL: "SELECT url, link_id, kind, num_packages, num_projects, num_repos," +
		" ifNull(toString(orphaned_at, 'UTC'), '') AS orphaned_at FROM {{db}}.links ORDER BY link_id, kind"},
}

var promotion = stagedtest.Promotion{New: steps, Surface: surface}

// steps exposes a projection's steps to the promotion tests.
func steps(db string) stagedtest.Steps {
	p := New(db)
	return stagedtest.Steps{Apply: p.Apply, Stage: p.stage, Promote: p.promote, PromoteState: p.promoteState, Ledger: p.ledger}
}

// TestASlowPromotionOfAnOlderSnapshotChangesNothing plays two processes
// sharing the group: A (partition 0) records the markers that complete
// snapshot 1 but is slow to promote it; meanwhile B (partition 1)
// completes snapshot 2, promotes snapshot 1 first (it is complete and not
// yet promoted), then snapshot 2. A's late promotion changes nothing.
func TestASlowPromotionOfAnOlderSnapshotChangesNothing(t *testing.T) {
	promotion.SlowPromotionOfAnOlderSnapshotChangesNothing(t)
}

// TestAPromotionCutShortIsCompletedByTheRedelivery stops a promotion of
// snapshot 2 right after the state took it, before the counts were
// rewritten (a crash), then applies the batch again as the group
// redelivers it: the counts of the links snapshot 2 changed must be
// rewritten although the state already holds snapshot 2.
func TestAPromotionCutShortIsCompletedByTheRedelivery(t *testing.T) {
	got := promotion.PromotionCutShortIsCompletedByTheRedelivery(t)
	assert.Contains(t, got["links"], `"https://www.gnu.org/software/hello/"`+"\t8530566675335364961\t\"homepage\"\t0\t0\t0\t\"2026-01-03 06:00:00\"",
		"hello and its homepage disappeared in snapshot 2")
}
