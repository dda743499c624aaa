package links

import "time"

// stateRow is one link of one package of the state, as the counts need
// it.
type stateRow struct {
	repository, key, project string
	pair
}

// countRow is a row of link_counts.
type countRow struct {
	pair
	packages, projects, repos uint64
	orphanedAt                time.Time // unixEpoch while referenced
}

// unixEpoch is the zero of a DateTime: "not orphaned".
var unixEpoch = time.Unix(0, 0).UTC()

// previous is what link_counts holds for a pair before the recount.
type previous struct {
	packages   uint64
	orphanedAt time.Time
}

// aggregate computes the rows of link_counts for pairs, in their order,
// from the state rows of every repository; rows of other pairs are
// ignored. A pair without rows gets zero counts and is orphaned: since
// the snapshot's time at, or since the time it already had if it was
// orphaned before the recount.
func aggregate(rows []stateRow, pairs []pair, before map[pair]previous, at time.Time) []countRow {
	type tally struct {
		packages        uint64
		projects, repos map[string]bool
	}
	tallies := make(map[pair]*tally, len(pairs))
	for _, p := range pairs {
		tallies[p] = &tally{projects: map[string]bool{}, repos: map[string]bool{}}
	}
	for _, r := range rows {
		if t, ok := tallies[r.pair]; ok {
			t.packages++
			t.projects[r.project] = true
			t.repos[r.repository] = true
		}
	}
	out := make([]countRow, 0, len(pairs))
	for _, p := range pairs {
		t := tallies[p]
		row := countRow{pair: p, packages: t.packages, projects: uint64(len(t.projects)), repos: uint64(len(t.repos)), orphanedAt: unixEpoch}
		if t.packages == 0 {
			row.orphanedAt = orphanedSince(before[p], at)
		}
		out = append(out, row)
	}
	return out
}

// orphanedSince keeps the time a pair already orphaned was orphaned at;
// otherwise it is orphaned now.
func orphanedSince(prev previous, at time.Time) time.Time {
	if prev.packages == 0 && prev.orphanedAt.Unix() > 0 {
		return prev.orphanedAt.UTC()
	}
	return at.UTC()
}
