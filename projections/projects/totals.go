package projects

import (
	"maps"
	"slices"
	"time"

	"github.com/repodelta/repodelta/consumers"
)

// tally is a change of one repository's totals.
type tally struct {
	packages, projects, outdatedProjects int64
	counts                               [6]int64
}

// add adds sign times a project's row of the repository.
func (t *tally) add(sign int64, packages uint64, c counts) {
	t.packages += sign * int64(packages)
	t.projects += sign
	for i, n := range c {
		t.counts[i] += sign * int64(n)
	}
	if c.of(Outdated) > 0 {
		t.outdatedProjects += sign
	}
}

// totals is what a promotion changes in the totals of repositories and of
// the statistics: the touched projects' new rows minus their old rows.
type totals struct {
	repos                                      map[string]*tally // by repository id
	projects, outdatedProjects, uniqueProjects int64
}

func newTotals() *totals { return &totals{repos: map[string]*tally{}} }

func (t *totals) repo(id string) *tally {
	if t.repos[id] == nil {
		t.repos[id] = &tally{}
	}
	return t.repos[id]
}

// count takes a touched project's rows before the snapshot (old) out and
// its rows after it (c) in.
func (t *totals) count(old, c *computed) {
	t.add(-1, old)
	t.add(1, c)
}

func (t *totals) add(sign int64, c *computed) {
	for id, r := range c.repos {
		t.repo(id).add(sign, r.packages, r.counts)
	}
	if !c.row.deleted {
		t.projects += sign
		t.outdatedProjects += sign * b2i(c.row.counts.of(Outdated) > 0)
		t.uniqueProjects += sign * b2i(c.row.families == 1)
	}
}

// repositoryRow is a row of repositories_current.
type repositoryRow struct {
	id, name, family                                  string
	generation                                        uint64
	packages, projects, outdatedProjects, maintainers uint64
	counts                                            counts
	lastSequence                                      uint64
	lastTime                                          time.Time
}

// nextRepositories returns the rows of the repositories whose totals
// change (those of t, and the snapshot's), at generation gen: each old row
// plus its change. A row already at gen holds the change already: a
// promotion retried after it wrote the row leaves it as it is.
func nextRepositories(old map[string]repositoryRow, t *totals, m maintainers, s consumers.Snapshot, gen uint64) []repositoryRow {
	ids := slices.Collect(maps.Keys(t.repos))
	if _, ok := t.repos[s.Repository.ID()]; !ok {
		ids = append(ids, s.Repository.ID())
	}
	slices.Sort(ids)
	out := make([]repositoryRow, 0, len(ids))
	for _, id := range ids {
		r, ok := old[id]
		if !ok {
			r = repositoryRow{id: id}
		}
		if r.generation != gen {
			r.apply(t.repo(id))
			if id == s.Repository.ID() {
				r.name, r.family = s.Repository.Name, s.Repository.Family
				r.maintainers = plus(r.maintainers, m.repository)
				if s.Sequence > r.lastSequence {
					r.lastSequence, r.lastTime = s.Sequence, s.Time.UTC()
				}
			}
			r.generation = gen
		}
		out = append(out, r)
	}
	return out
}

func (r *repositoryRow) apply(t *tally) {
	r.packages = plus(r.packages, t.packages)
	r.projects = plus(r.projects, t.projects)
	r.outdatedProjects = plus(r.outdatedProjects, t.outdatedProjects)
	for i := range r.counts {
		r.counts[i] = plus(r.counts[i], t.counts[i])
	}
}

// statisticsRow is the row of statistics_current.
type statisticsRow struct {
	generation                                              uint64
	repositories, families, packages                        uint64
	projects, maintainers, outdatedProjects, uniqueProjects uint64
	counts                                                  counts
	lastTime                                                time.Time
}

// nextStatistics returns the statistics at generation gen: the totals of
// every repository's row (repos, after the promotion), and the old
// project and maintainer counts plus their change — unless the old row is
// already at gen.
func nextStatistics(old statisticsRow, repos []repositoryRow, t *totals, m maintainers, gen uint64) statisticsRow {
	out := old
	if old.generation != gen {
		out.projects = plus(old.projects, t.projects)
		out.outdatedProjects = plus(old.outdatedProjects, t.outdatedProjects)
		out.uniqueProjects = plus(old.uniqueProjects, t.uniqueProjects)
		out.maintainers = plus(old.maintainers, m.global)
	}
	out.generation = gen
	out.repositories, out.packages, out.counts, out.lastTime = uint64(len(repos)), 0, counts{}, time.Time{}
	families := map[string]bool{}
	for _, r := range repos {
		families[r.family] = true
		out.packages += r.packages
		for i, n := range r.counts {
			out.counts[i] += n
		}
		if r.lastTime.After(out.lastTime) {
			out.lastTime = r.lastTime
		}
	}
	out.families = uint64(len(families))
	return out
}

// generation returns the version of the rows the promotion of s writes:
// the sum over repositories of their last promoted snapshot, s included.
// repositories are the rows of repositories_current before the promotion
// (or, for a promotion retried, after part of it).
func generation(repositories map[string]repositoryRow, s consumers.Snapshot) uint64 {
	g := s.Sequence
	for id, r := range repositories {
		if id == s.Repository.ID() {
			g = max(g, r.lastSequence)
			continue
		}
		g += r.lastSequence
	}
	return g
}

// plus adds a change to a count, never below zero.
func plus(n uint64, d int64) uint64 { return uint64(max(int64(n)+d, 0)) }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
