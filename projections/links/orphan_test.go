package links_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
	"github.com/repodelta/repodelta/projections/links"
)

// TestALinkIsOrphanedByTheSnapshotThatDropsItsLastPackage follows bash's
// homepage through golden-main: present (main-1), gone with bash
// (main-3, committed here), back (main-4). A repeated or replayed
// snapshot keeps the time it was orphaned at.
func TestALinkIsOrphanedByTheSnapshotThatDropsItsLastPackage(t *testing.T) {
	ctx := context.Background()
	story, err := projectortest.Tell(ctx, 3, 8, []projectortest.Take{
		{Name: "main-1", Repository: projectortest.GoldenMain, Sequence: 1, Index: projectortest.Testdata("main-1.Packages")},
		{Name: "main-3", Repository: projectortest.GoldenMain, Sequence: 2, After: "main-1", Index: projectortest.Testdata("main-3.Packages")},
		{Name: "main-4", Repository: projectortest.GoldenMain, Sequence: 3, After: "main-3", Index: projectortest.Testdata("main-4.Packages")},
	})
	require.NoError(t, err)
	conn, db := projectortest.Database(t)
	p := links.New(db)
	bash := links.ID("http://tiswww.case.edu/php/chet/bash/bashtop.html")
	gone := story.Steps[1].Events[0].SnapshotTime
	type row struct {
		packages uint64
		orphaned string
	}
	read := func() row {
		var r row
		require.NoError(t, conn.QueryRow(ctx, "SELECT num_packages, ifNull(toString(orphaned_at, 'UTC'), '') FROM "+db+
			".links WHERE link_id = ? AND kind = 'homepage'", bash).Scan(&r.packages, &r.orphaned))
		return r
	}
	orphaned := row{0, gone.UTC().Format(time.DateTime)}

	tests := []struct {
		name  string
		steps []int
		want  row
	}{
		{"a homepage of a present package is referenced", []int{0}, row{1, ""}},
		{"its package gone, it is orphaned at that snapshot's time", []int{1}, orphaned},
		{"applying that snapshot again keeps the time", []int{1}, orphaned},
		{"a replay from the start keeps the time", []int{0, 1}, orphaned},
		{"its package back, it is referenced again", []int{2}, row{1, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, i := range tt.steps {
				stagedtest.Apply(t, p, conn, story.Steps[i].Events)
			}
			assert.Equal(t, tt.want, read())
		})
	}
}
