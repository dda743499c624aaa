package projects

import (
	"maps"
	"slices"
)

// The events of project_history.
const (
	eventNewestChanged = "newest_changed"
	eventAdded         = "added"
	eventRemoved       = "removed"
	eventCaughtUp      = "caught_up"
	eventFellBehind    = "fell_behind"
)

// historyRow is a row of project_history_current; the snapshot that
// caused it is the promotion's.
type historyRow struct {
	project, event           string
	repositoryID, repository string
	oldVersion, newVersion   string
}

// history compares a touched project before (old) and after the
// snapshot of the repository snapRepo (id and name) and returns what
// changed: the newest version (the row is about snapRepo), a repository
// that gained or lost the project, a repository that now has the newest
// version and did not (caught up), or had it and has not (fell behind).
// Versions in the repository rows are that repository's best version
// before and after.
func (c *computed) history(old *computed, snapRepoID, snapRepo string) []historyRow {
	var out []historyRow
	if old.row.newest != c.row.newest {
		out = append(out, historyRow{project: c.row.project, event: eventNewestChanged,
			repositoryID: snapRepoID, repository: snapRepo, oldVersion: old.row.newest, newVersion: c.row.newest})
	}
	ids := slices.Collect(maps.Keys(old.repos))
	for id := range c.repos {
		if _, ok := old.repos[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		if row, ok := repoHistory(c.row.project, id, old.repos[id], c.repos[id]); ok {
			out = append(out, row)
		}
	}
	return out
}

// repoHistory returns what changed for one repository of a project, whose
// rows before and after are o and n (nil: it did not have the project).
func repoHistory(project, id string, o, n *repoRow) (historyRow, bool) {
	row := historyRow{project: project, repositoryID: id}
	if o != nil {
		row.repository, row.oldVersion = o.repository, o.best
	}
	if n != nil {
		row.repository, row.newVersion = n.repository, n.best
	}
	switch {
	case o == nil:
		row.event = eventAdded
	case n == nil:
		row.event = eventRemoved
	case !o.hasNewest() && n.hasNewest():
		row.event = eventCaughtUp
	case o.hasNewest() && !n.hasNewest():
		row.event = eventFellBehind
	default:
		return row, false
	}
	return row, true
}
