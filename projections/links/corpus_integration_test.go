package links_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/projections/internal/stagedtest"
	"github.com/repodelta/repodelta/projections/links"
)

// Figures of the corpus: bookworm's Homepage fields as written, and after
// normalisation (scheme and host lower-cased).
const (
	bookwormRawHomepages        = 30087
	bookwormNormalisedHomepages = 30087
)

// recomputed are the projection's figures recomputed by full GROUP BYs
// over its state table, next to the same columns read from the view.
var recomputed = []struct{ name, want, got string }{
	{
		name: "links",
		want: `SELECT id AS link_id, kind, count() AS num_packages, uniqExact(project) AS num_projects, uniqExact(repository_id) AS num_repos
			FROM (` + stateEntries + `) GROUP BY id, kind ORDER BY link_id, kind`,
		got: `SELECT link_id, kind, num_packages, num_projects, num_repos
			FROM {{db}}.links WHERE num_packages > 0 ORDER BY link_id, kind`,
	},
	{
		name: "ids",
		want: `SELECT DISTINCT id AS link_id, id AS url_hash FROM (` + stateEntries + `) ORDER BY link_id`,
		got:  `SELECT DISTINCT link_id, cityHash64(url) AS url_hash FROM {{db}}.links WHERE num_packages > 0 ORDER BY link_id`,
	},
	{
		name: "orphaned exactly when unreferenced",
		want: `SELECT toUInt64(0) AS wrong`,
		got:  `SELECT count() AS wrong FROM {{db}}.links WHERE (num_packages = 0) != (orphaned_at IS NOT NULL)`,
	},
}

// currentState is the newest state row of every package key.
const currentState = `SELECT repository_id, key, argMax(deleted, sequence) AS gone, argMax(project, sequence) AS current_project,
	argMax(link_ids, sequence) AS ids, argMax(kinds, sequence) AS ks
	FROM {{db}}.link_packages GROUP BY repository_id, key`

// stateEntries are the current links of every present package, one row
// per (URL, kind).
const stateEntries = `SELECT repository_id, key, current_project AS project, id, kind FROM (` + currentState + `)
	ARRAY JOIN ids AS id, ks AS kind WHERE gone = 0`

func TestCorpusCountsEqualARecomputation(t *testing.T) {
	s := stagedtest.Story(t)
	conn, db := projectortest.Database(t)
	p := links.New(db)
	everReferenced := map[pair]bool{}
	for i, st := range s.Steps {
		stagedtest.Apply(t, p, conn, st.Events)
		present := stagedtest.PackagesAfter(s.Steps[:i+1])
		t.Run("after "+st.Name, func(t *testing.T) {
			assertStateHoldsEachSnapshot(t, conn, db, s.Steps[:i+1])
			assertSameAsRecomputed(t, conn, db)
			assertSameAsFromEvents(t, conn, db, present, everReferenced)
		})
		for k := range fromEvents(present) {
			everReferenced[k] = true
		}
	}
	// Only bookworm-point could drop links (it drops none of the corpus):
	// any orphan is orphaned at its time.
	point := s.Steps[2].Events[0].SnapshotTime
	t.Logf("%d links, %d orphaned", stagedtest.Count(t, conn, "SELECT count() FROM "+db+".links"),
		stagedtest.Count(t, conn, "SELECT count() FROM "+db+".links WHERE orphaned_at IS NOT NULL"))
	assert.Zero(t, stagedtest.Count(t, conn, "SELECT count() FROM "+db+".links WHERE orphaned_at IS NOT NULL AND orphaned_at != ?", point))
}

func TestBookwormHomepageFacts(t *testing.T) {
	st := stagedtest.Story(t).Steps[0]
	require.Equal(t, "bookworm-1", st.Name)
	parsed, normalised := map[string]bool{}, map[string]bool{}
	for _, e := range st.Events {
		if e.Package != nil && e.Package.Homepage() != "" {
			parsed[e.Package.Homepage()] = true
			normalised[links.NormalizeURL(e.Package.Homepage())] = true
		}
	}
	raw := stagedtest.FieldValues(t, projectortest.Corpus("bookworm_main_amd64_Packages.xz"), "Homepage")
	assert.Equal(t, bookwormRawHomepages, len(raw), "distinct Homepage fields as written")
	assert.Equal(t, bookwormRawHomepages, len(parsed), "distinct Homepage fields as parsed")
	assert.Equal(t, bookwormNormalisedHomepages, len(normalised), "distinct normalised homepages")

	conn, db := projectortest.Database(t)
	stagedtest.Apply(t, links.New(db), conn, st.Events)
	assert.Equal(t, uint64(bookwormNormalisedHomepages), stagedtest.Count(t, conn, "SELECT count() FROM "+db+".links WHERE kind = 'homepage'"))
	assert.Equal(t, uint64(bookwormNormalisedHomepages), stagedtest.Count(t, conn, "SELECT uniqExact(url) FROM "+db+".links WHERE kind = 'homepage'"),
		"each URL stored once")
}

// assertStateHoldsEachSnapshot checks the state against the commit
// markers: as many present packages per repository as the last committed
// snapshot says.
func assertStateHoldsEachSnapshot(t *testing.T, conn driver.Conn, db string, steps []projectortest.Step) {
	want := map[string]uint64{}
	for _, st := range steps {
		for _, e := range st.Events {
			if e.Type == events.SnapshotCommitted && !st.Aborted {
				want[e.Repository.ID()] = uint64(e.Marker.Counts.Packages)
			}
		}
	}
	for repo, n := range want {
		query := strings.ReplaceAll("SELECT count() FROM ("+currentState+") WHERE gone = 0 AND repository_id = ?", "{{db}}", db)
		assert.Equal(t, n, stagedtest.Count(t, conn, query, repo), repo)
	}
}

func assertSameAsRecomputed(t *testing.T, conn driver.Conn, db string) {
	ctx := context.Background()
	for _, q := range recomputed {
		want, err := projectortest.DumpSurface(ctx, conn, db, []projectortest.Query{{Name: q.name, SQL: q.want}})
		require.NoError(t, err)
		got, err := projectortest.DumpSurface(ctx, conn, db, []projectortest.Query{{Name: q.name, SQL: q.got}})
		require.NoError(t, err)
		projectortest.AssertSameDump(t, want, got)
	}
}

// pair is a row of the links view: a URL in one kind.
type pair struct {
	id   uint64
	kind string
}

// figures are one pair's counts.
type figures struct {
	Packages, Projects, Repos uint64
	Orphaned                  bool
}

// assertSameAsFromEvents recomputes the view from the events alone, in
// Go, and compares it row by row: the pairs present now with their counts,
// and those referenced at an earlier step but not now, orphaned.
func assertSameAsFromEvents(t *testing.T, conn driver.Conn, db string, present map[string]map[string]consumers.Event, earlier map[pair]bool) {
	want := fromEvents(present)
	for k := range earlier {
		if _, ok := want[k]; !ok {
			want[k] = figures{Orphaned: true}
		}
	}
	got := map[pair]figures{}
	rows, err := conn.Query(context.Background(), "SELECT link_id, kind, num_packages, num_projects, num_repos, orphaned_at IS NOT NULL FROM "+db+".links")
	require.NoError(t, err)
	defer rows.Close()
	for rows.Next() {
		var (
			k        pair
			f        figures
			orphaned uint8
		)
		require.NoError(t, rows.Scan(&k.id, &k.kind, &f.Packages, &f.Projects, &f.Repos, &orphaned))
		f.Orphaned = orphaned == 1
		got[k] = f
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, len(want), len(got), "links")
	for k, w := range want {
		assert.Equal(t, w, got[k], "link %d %s", k.id, k.kind)
	}
}

// fromEvents counts, per (URL, kind), the packages present, their
// projects and repositories.
func fromEvents(present map[string]map[string]consumers.Event) map[pair]figures {
	type sets struct {
		packages        uint64
		projects, repos map[string]bool
	}
	all := map[pair]*sets{}
	for repo, pkgs := range present {
		for _, e := range pkgs {
			for _, k := range pairsOf(e.Package) {
				if all[k] == nil {
					all[k] = &sets{projects: map[string]bool{}, repos: map[string]bool{}}
				}
				all[k].packages++
				all[k].projects[e.Project] = true
				all[k].repos[repo] = true
			}
		}
	}
	out := map[pair]figures{}
	for k, s := range all {
		out[k] = figures{Packages: s.packages, Projects: uint64(len(s.projects)), Repos: uint64(len(s.repos))}
	}
	return out
}

// pairsOf lists the (URL, kind) pairs of a package, each once.
func pairsOf(p *events.Package) []pair {
	seen := map[pair]bool{}
	var out []pair
	for _, l := range p.Links {
		u := links.NormalizeURL(l.URL)
		k := pair{links.ID(u), links.NormalizeKind(l.Kind)}
		if u != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
