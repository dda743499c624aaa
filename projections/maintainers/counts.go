package maintainers

import (
	"maps"
	"slices"
)

// stateRow is one person of one package of the state, as the counts need
// it.
type stateRow struct {
	repository, key, project string
	id, nameID               uint64
	role                     uint8
}

// counts are one maintainer's figures in one role, over all repositories
// or in one.
type counts struct {
	packages, projects, repos uint64
}

// countRow is a row of maintainer_counts: a maintainer's counts over all
// repositories (repository "") or in one.
type countRow struct {
	id                 uint64
	repository         string
	nameID             uint64 // 0 in a repository's row
	maintainer, upload counts
}

// tally gathers what one maintainer's counts are made of.
type tally struct {
	packages [2]uint64
	projects [2]map[string]bool
	repos    [2]map[string]bool
	votes    map[uint64]uint64
}

func newTally() *tally {
	return &tally{
		projects: [2]map[string]bool{{}, {}},
		repos:    [2]map[string]bool{{}, {}},
		votes:    map[uint64]uint64{},
	}
}

func (t *tally) add(r stateRow) {
	i := int(r.role) - 1
	if i < 0 || i > 1 {
		return
	}
	t.packages[i]++
	t.projects[i][r.project] = true
	t.repos[i][r.repository] = true
	if r.nameID != 0 {
		t.votes[r.nameID]++
	}
}

// inRepository returns c as a repository's row holds it: without repos.
func (c counts) inRepository() counts {
	c.repos = 0
	return c
}

func (t *tally) counts(i int) counts {
	return counts{packages: t.packages[i], projects: uint64(len(t.projects[i])), repos: uint64(len(t.repos[i]))}
}

// name returns the display name most of the maintainer's entries give,
// the smaller id on a tie; with none, the maintainer's own id (whose
// string is the normalised maintainer).
func (t *tally) name(id uint64) uint64 {
	best, votes := id, uint64(0)
	for n, v := range t.votes {
		if v > votes || (v == votes && n < best) {
			best, votes = n, v
		}
	}
	return best
}

// aggregate computes the rows of maintainer_counts for the maintainers
// ids, from the state rows of every repository: for each id, in order,
// its row over all repositories, then its row in repository repo (the only
// one a snapshot of repo can change). Rows of other maintainers are
// ignored; a maintainer without rows gets zero counts.
func aggregate(rows []stateRow, ids []uint64, repo string) []countRow {
	all, inRepo := map[uint64]*tally{}, map[uint64]*tally{}
	for _, id := range ids {
		all[id], inRepo[id] = newTally(), newTally()
	}
	for _, r := range rows {
		t, ok := all[r.id]
		if !ok {
			continue
		}
		t.add(r)
		if r.repository == repo {
			inRepo[r.id].add(r)
		}
	}
	out := make([]countRow, 0, 2*len(all))
	for _, id := range slices.Sorted(maps.Keys(all)) {
		t, rt := all[id], inRepo[id]
		out = append(out,
			countRow{id: id, nameID: t.name(id), maintainer: t.counts(0), upload: t.counts(1)},
			countRow{id: id, repository: repo, maintainer: rt.counts(0).inRepository(), upload: rt.counts(1).inRepository()})
	}
	return out
}
