package projects_test

import (
	"context"
	"os"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/projections/projects"
)

type statusOf struct{ project, repository, name, status string }

func statusesNow(t *testing.T, conn driver.Conn, db string) []statusOf {
	t.Helper()
	rows, err := conn.Query(context.Background(), "SELECT project, repository, name, toString(status) FROM "+db+
		".package_statuses ORDER BY project, repository, name")
	require.NoError(t, err)
	defer rows.Close()
	var out []statusOf
	for rows.Next() {
		var s statusOf
		require.NoError(t, rows.Scan(&s.project, &s.repository, &s.name, &s.status))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestStatusesAcrossRepositories(t *testing.T) {
	story := projects.StatusStory(t)
	conn, db := projectortest.Database(t)
	p := projects.New(db)
	apply := func(st projectortest.Step) {
		for _, b := range projectortest.Batches(st.Events, 7) {
			require.NoError(t, p.Apply(context.Background(), conn, b))
		}
	}
	for _, st := range story.Steps[:3] {
		apply(st)
	}
	assert.Equal(t, []statusOf{
		{"bar", "stable", "bar", "devel"},    // 2.0~rc1 is above the newest release, 1.5
		{"bar", "ubuntu", "bar", "newest"},   // 1.5
		{"baz", "stable", "baz", "outdated"}, // debian only: 1.0 < 1.1
		{"baz", "testing", "baz", "unique"},  // debian only, at the newest
		{"foo", "stable", "foo", "outdated"}, // 1.0 < 1.2, and stable has no 1.2
		{"foo", "stable", "libfoo-old", "outdated"},
		{"foo", "testing", "foo", "newest"},    // 1.2-1
		{"foo", "ubuntu", "foo", "newest"},     // 1.2-0ubuntu1
		{"foo", "ubuntu", "libfoo1", "legacy"}, // 1.1, beside ubuntu's 1.2
		{"oldsrc", "stable", "movable", "newest"},
		{"oldsrc", "ubuntu", "oldsrc", "newest"},
		{"qux", "stable", "qux", "ignored"}, // "snapshot-1" normalises to "snapshot": no digit
		{"qux", "ubuntu", "qux", "newest"},
	}, statusesNow(t, conn, db), "after the first snapshots")

	apply(story.Steps[3])
	assert.Equal(t, []statusOf{
		{"bar", "stable", "bar", "devel"},
		{"bar", "ubuntu", "bar", "newest"},
		{"baz", "stable", "baz", "outdated"},
		{"baz", "testing", "baz", "unique"},
		{"foo", "stable", "foo", "newest"}, // 1.2-1+deb12u1 caught up; libfoo-old is gone
		{"foo", "testing", "foo", "newest"},
		{"foo", "ubuntu", "foo", "newest"},
		{"foo", "ubuntu", "libfoo1", "legacy"},
		{"newsrc", "stable", "movable", "unique"}, // movable moved from oldsrc to newsrc
		{"oldsrc", "ubuntu", "oldsrc", "unique"},  // now in ubuntu only
		{"qux", "stable", "qux", "ignored"},
		{"qux", "ubuntu", "qux", "newest"},
	}, statusesNow(t, conn, db), "after stable's second snapshot")

	got, err := projectortest.DumpSurface(context.Background(), conn, db, projects.Surface)
	require.NoError(t, err)
	for _, q := range projects.Surface {
		path := projects.StatusData(q.Name + ".golden")
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(got[q.Name]), 0o644))
			continue
		}
		b, err := os.ReadFile(path)
		require.NoError(t, err, "run the test with -update to write the golden files")
		assert.Equal(t, string(b), got[q.Name], "%s differs from %s (-update rewrites it)", q.Name, path)
	}
}
