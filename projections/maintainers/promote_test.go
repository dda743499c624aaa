package maintainers

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
)

var surface = []projectortest.Query{
	{Name: "maintainers", SQL: "SELECT * FROM {{db}}.maintainers ORDER BY maintainer_id"},
	{Name: "maintainer_repositories", SQL: "SELECT * FROM {{db}}.maintainer_repositories ORDER BY maintainer_id, repository_id"},
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
// redelivers it: the counts of the maintainers snapshot 2 changed must be
// rewritten although the state already holds snapshot 2.
func TestAPromotionCutShortIsCompletedByTheRedelivery(t *testing.T) {
	got := promotion.PromotionCutShortIsCompletedByTheRedelivery(t)
	assert.Contains(t, got["maintainers"], `"new@example.org"`, "newpkg appeared in snapshot 2")
	assert.NotContains(t, got["maintainers"], `"sanvila@debian.org"`, "hello disappeared in snapshot 2")
}
