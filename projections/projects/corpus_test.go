package projects_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/projects"
)

// internal are the projection's tables behind the query surface.
var internal = []string{"package_statuses_current", "project_repositories_current", "projects_current",
	"repositories_current", "statistics_current", "statistics_history_current", "project_history_current", "projects_state"}

// TestPointRelease is the integration test: bookworm and trixie
// are projected as two repositories of family debian, then bookworm moves
// to bookworm-point. After each step every table equals its
// recomputation; the point release writes rows for the projects it
// touches only, its history holds exactly the changes between the tables
// before and after it, and a reader never sees it half applied.
func TestPointRelease(t *testing.T) {
	s := story(t)
	conn, db := projectortest.Database(t)
	p := projects.New(db)
	ctx := context.Background()
	applyAll(t, p, conn, s.Steps[0].Events, 5000)
	applyAll(t, p, conn, s.Steps[1].Events, 5000)
	t.Run("bookworm and trixie equal their recomputation", func(t *testing.T) {
		assertRecounted(t, conn, db)
		assertMarkerCounts(t, conn, db, s.Steps[:2])
	})

	for _, view := range []string{"projects", "project_repositories", "package_statuses"} {
		require.NoError(t, conn.Exec(ctx, "CREATE TABLE "+db+".before_"+view+" ENGINE = Memory AS SELECT * FROM "+db+"."+view))
	}
	for _, table := range internal {
		require.NoError(t, conn.Exec(ctx, "SYSTEM STOP MERGES "+db+"."+table))
	}
	written := rowCounts(t, conn, db)
	reads := readWhile(t, conn, db, func() { applyAll(t, p, conn, s.Steps[2].Events, 200) })
	for table, n := range rowCounts(t, conn, db) {
		written[table] = n - written[table]
	}

	t.Run("bookworm-point equals its recomputation", func(t *testing.T) {
		assertRecounted(t, conn, db)
		assertMarkerCounts(t, conn, db, s.Steps[1:])
	})
	t.Run("project history holds the changes of the point release", func(t *testing.T) {
		assertPointHistory(t, conn, db)
	})
	t.Run("the point release writes rows of the projects it touches only", func(t *testing.T) {
		assertDeltaRows(t, conn, db, s.Steps[2], written)
	})
	t.Run("a reader sees bookworm before or after the point release, never between", func(t *testing.T) {
		reads.assert(t)
	})
}

// assertMarkerCounts checks the repositories against what the producer
// counted in each step's commit marker.
func assertMarkerCounts(t *testing.T, conn driver.Conn, db string, steps []projectortest.Step) {
	t.Helper()
	for _, st := range steps {
		c := commitCounts(t, st)
		id := st.Repository.ID()
		assert.Equal(t, uint64(c.Packages), queryUint(t, conn, "SELECT num_packages FROM "+db+".repositories WHERE repository_id = ?", id), id)
		assert.Equal(t, uint64(c.Projects), queryUint(t, conn, "SELECT num_projects FROM "+db+".repositories WHERE repository_id = ?", id), id)
		assert.Equal(t, uint64(c.Changed), queryUint(t, conn, "SELECT changed FROM "+db+".statistics_history WHERE repository_id = ? AND sequence = ?", id, st.Sequence), id)
	}
}

func commitCounts(t *testing.T, st projectortest.Step) events.Counts {
	t.Helper()
	for _, e := range st.Events {
		if e.Type == events.SnapshotCommitted {
			return e.Marker.Counts
		}
	}
	t.Fatalf("step %s has no commit marker", st.Name)
	return events.Counts{}
}

// pointHistory is what the point release's project_history rows must be,
// recomputed in SQL from the views before it (the before_ copies) and
// after it: a project whose newest version differs; a repository that
// gained or lost the project; one that gained or lost a package at the
// newest version.
const pointHistory = `
SELECT project, 'newest_changed', ?, old, new FROM
(
	SELECT project, anyIf(newest_version, side = 0) AS old, anyIf(newest_version, side = 1) AS new
	FROM (SELECT project, newest_version, 0 AS side FROM {{db}}.before_projects
		UNION ALL SELECT project, newest_version, 1 AS side FROM {{db}}.projects)
	GROUP BY project
)
WHERE old != new
UNION ALL
SELECT project, multiIf(had = 0, 'added', has = 0, 'removed', hasNewest = 1, 'caught_up', 'fell_behind'), repository_id, old, new FROM
(
	SELECT project, repository_id, countIf(side = 0) AS had, countIf(side = 1) AS has,
		maxIf(newest, side = 0) AS hadNewest, maxIf(newest, side = 1) AS hasNewest,
		anyIf(best_version, side = 0) AS old, anyIf(best_version, side = 1) AS new
	FROM (SELECT project, repository_id, toUInt8(num_newest + num_unique > 0) AS newest, best_version, 0 AS side
			FROM {{db}}.before_project_repositories
		UNION ALL SELECT project, repository_id, toUInt8(num_newest + num_unique > 0) AS newest, best_version, 1 AS side
			FROM {{db}}.project_repositories)
	GROUP BY project, repository_id
)
WHERE had != has OR hadNewest != hasNewest`

func assertPointHistory(t *testing.T, conn driver.Conn, db string) {
	want := lines(t, conn, strings.ReplaceAll(pointHistory, "{{db}}", db), bookworm.ID())
	got := lines(t, conn, "SELECT project, toString(event), repository_id, old_version, new_version FROM "+db+
		".project_history WHERE snapshot_repository_id = ? AND sequence = 2", bookworm.ID())
	assert.NotEmpty(t, want)
	assert.Equal(t, want, got)
	t.Logf("%d history rows for the point release", len(got))
}

func rowCounts(t *testing.T, conn driver.Conn, db string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, table := range internal {
		out[table] = queryUint(t, conn, "SELECT count() FROM "+db+"."+table)
	}
	return out
}

// assertDeltaRows checks the rows the point release wrote (counted with
// merges stopped) against the projects it touched: those of its events,
// and those its changed packages left (from before_package_statuses).
func assertDeltaRows(t *testing.T, conn driver.Conn, db string, st projectortest.Step, written map[string]uint64) {
	before := pairs(t, conn, "SELECT key, project FROM "+db+".before_package_statuses WHERE repository_id = '"+bookworm.ID()+"'")
	touched, packageEvents, disappeared, moved := map[string]bool{}, 0, 0, 0
	for _, e := range st.Events {
		if e.Type.IsMarker() {
			continue
		}
		touched[e.Project], packageEvents = true, packageEvents+1
		switch was, ok := before[e.Key]; {
		case e.Type == events.PackageDisappeared:
			disappeared++
		case ok && was != e.Project:
			touched[was], moved = true, moved+1
		}
	}
	set := make([]string, 0, len(touched))
	for project := range touched {
		set = append(set, project)
	}
	packages := queryUint(t, conn, "SELECT count() FROM "+db+".package_statuses WHERE has(?, project)", set)
	pairsNow := queryUint(t, conn, "SELECT count() FROM "+db+".project_repositories WHERE has(?, project)", set)
	pairsGone := queryUint(t, conn, "SELECT count() FROM "+db+".before_project_repositories WHERE has(?, project)"+
		" AND (project, repository_id) NOT IN (SELECT project, repository_id FROM "+db+".project_repositories)", set)
	assert.Equal(t, uint64(len(touched)), written["projects_current"], "a row per touched project")
	assert.Equal(t, packages+uint64(disappeared+moved), written["package_statuses_current"], "a row per package of a touched project, and per package that left one")
	assert.Equal(t, uint64(packageEvents+moved), written["projects_state"], "a state row per event, and per package that moved")
	assert.Equal(t, pairsNow+pairsGone, written["project_repositories_current"], "a row per repository of a touched project")
	assert.LessOrEqual(t, written["repositories_current"], uint64(2))
	assert.Equal(t, uint64(1), written["statistics_current"])
	assert.Equal(t, uint64(1), written["statistics_history_current"])
	total := queryUint(t, conn, "SELECT count() FROM "+db+".projects")
	assert.Less(t, written["projects_current"]*20, total, "fewer than a twentieth of the projects")
	t.Logf("%d events touched %d of %d projects; rows written: %v", len(st.Events), len(touched), total, written)
}

// fingerprints are one cheap query per view: its row count and a sum of
// row hashes, equal for equal contents.
var fingerprints = map[string]string{
	"projects": "SELECT count(), sum(cityHash64(project, num_repos, num_families, num_packages, newest_version, devel_version," +
		" arrayStringConcat(repositories, ','), arrayStringConcat(maintainers, ','), num_newest, num_outdated, num_legacy," +
		" num_devel, num_unique, num_ignored, first_seen, last_changed)) FROM {{db}}.projects",
	"project_repositories": "SELECT count(), sum(cityHash64(project, repository_id, num_packages, num_newest, num_outdated," +
		" num_legacy, num_devel, num_unique, num_ignored, best_version, arrayStringConcat(maintainers, ','))) FROM {{db}}.project_repositories",
	"package_statuses": "SELECT count(), sum(cityHash64(project, repository_id, key, version, normalized_version, toString(status)))" +
		" FROM {{db}}.package_statuses",
	"repositories": "SELECT count(), sum(cityHash64(repository_id, num_packages, num_projects, num_newest, num_outdated, num_legacy," +
		" num_devel, num_unique, num_ignored, num_outdated_projects, num_maintainers, last_sequence)) FROM {{db}}.repositories",
	"statistics": "SELECT count(), sum(cityHash64(num_repositories, num_projects, num_packages, num_maintainers," +
		" num_outdated_projects, num_unique_projects, num_newest, num_outdated)) FROM {{db}}.statistics",
	"statistics_history": "SELECT count(), sum(cityHash64(repository_id, sequence, num_packages, num_newest)) FROM {{db}}.statistics_history",
	"project_history": "SELECT count(), sum(cityHash64(project, toString(event), repository_id, sequence, old_version, new_version))" +
		" FROM {{db}}.project_history",
}

type fingerprint struct{ rows, sum uint64 }

func fingerprintOf(ctx context.Context, conn driver.Conn, db, view string) (fingerprint, error) {
	var f fingerprint
	err := conn.QueryRow(ctx, strings.ReplaceAll(fingerprints[view], "{{db}}", db)).Scan(&f.rows, &f.sum)
	return f, err
}

// reads are the fingerprints readers saw while a snapshot was applied,
// with those before and after.
type reads struct {
	before, after map[string]fingerprint
	mu            sync.Mutex
	seen          map[string][]fingerprint
	errs          []error
}

// readWhile takes the views' fingerprints over and over, a goroutine per
// view, while apply runs.
func readWhile(t *testing.T, conn driver.Conn, db string, apply func()) *reads {
	t.Helper()
	r := &reads{before: allFingerprints(t, conn, db), seen: map[string][]fingerprint{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for view := range fingerprints {
		wg.Go(func() {
			for ctx.Err() == nil {
				f, err := fingerprintOf(ctx, conn, db, view)
				r.mu.Lock()
				switch {
				case err == nil:
					r.seen[view] = append(r.seen[view], f)
				case ctx.Err() == nil:
					r.errs = append(r.errs, err)
				}
				r.mu.Unlock()
			}
		})
	}
	apply()
	time.Sleep(100 * time.Millisecond) // a few reads after the last batch too
	cancel()
	wg.Wait()
	r.after = allFingerprints(t, conn, db)
	return r
}

func allFingerprints(t *testing.T, conn driver.Conn, db string) map[string]fingerprint {
	t.Helper()
	out := map[string]fingerprint{}
	for view := range fingerprints {
		f, err := fingerprintOf(context.Background(), conn, db, view)
		require.NoError(t, err)
		out[view] = f
	}
	return out
}

func (r *reads) assert(t *testing.T) {
	require.Empty(t, r.errs)
	for view := range fingerprints {
		seen := r.seen[view]
		assert.NotEmpty(t, seen, view)
		assert.NotEqual(t, r.before[view], r.after[view], "%s did not change", view)
		between := 0
		for _, f := range seen {
			if f != r.before[view] && f != r.after[view] {
				between++
			}
		}
		assert.Zero(t, between, "reads of %s that were neither before nor after the snapshot", view)
		t.Logf("%s: %d reads", view, len(seen))
	}
}
