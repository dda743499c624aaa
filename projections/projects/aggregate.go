package projects

import (
	"maps"
	"slices"
	"time"

	"github.com/repodelta/repodelta/projections/versions"
)

// pkg is one package of the projection's state (projects_state).
type pkg struct {
	project, repositoryID, key string
	repository, family, name   string
	version, maintainer        string
}

// counts are packages per status, indexed like Statuses.
type counts [6]uint64

func (c *counts) add(s Status) { c[slices.Index(Statuses, s)]++ }

func (c counts) of(s Status) uint64 { return c[slices.Index(Statuses, s)] }

// statusRow is a row of package_statuses_current.
type statusRow struct {
	pkg
	normalized string
	status     Status
	deleted    bool
}

// repoRow is a row of project_repositories_current.
type repoRow struct {
	project, repositoryID, repository, family string
	deleted                                   bool
	packages                                  uint64
	counts                                    counts
	best                                      string
	bestVersion                               version
	maintainers                               []string
}

// hasNewest reports whether the repository has a package at the project's
// newest version.
func (r *repoRow) hasNewest() bool { return r.counts.of(Newest)+r.counts.of(Unique) > 0 }

// add counts one package of the repository.
func (r *repoRow) add(m pkg, s Status, v version) {
	r.packages++
	r.counts.add(s)
	if s != Ignored && (r.best == "" || v.above(r.bestVersion)) {
		r.best, r.bestVersion = v.text, v
	}
	if m.maintainer != "" {
		r.maintainers = append(r.maintainers, m.maintainer)
	}
}

// projectRow is a row of projects_current.
type projectRow struct {
	project                   string
	deleted                   bool
	repos, families, packages uint64
	newest, devel             string
	repositories, maintainers []string
	counts                    counts
	firstSeen, lastChanged    time.Time
}

// computed is what a promotion computes for one touched project.
type computed struct {
	statuses []statusRow
	repos    map[string]*repoRow // by repository id, those having the project
	row      projectRow
}

// computeProject classifies the packages of one project and aggregates
// them per repository and as a whole. members may be empty: the project
// is gone from every repository. The row's times are left to the caller.
func computeProject(name string, members []pkg) computed {
	in := make([]Member, len(members))
	for i, m := range members {
		in[i] = Member{RepositoryID: m.repositoryID, Family: m.family, Version: m.version}
	}
	v := Classify(in)
	out := computed{repos: map[string]*repoRow{}, row: projectRow{project: name, newest: v.Newest, devel: v.Devel}}
	families, maintainers, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, m := range members {
		out.statuses = append(out.statuses, statusRow{pkg: m, normalized: v.Normalized[i], status: v.Statuses[i]})
		r := out.repos[m.repositoryID]
		if r == nil {
			r = &repoRow{project: name, repositoryID: m.repositoryID, repository: m.repository, family: m.family}
			out.repos[m.repositoryID] = r
		}
		r.add(m, v.Statuses[i], version{text: v.Normalized[i], flags: versions.FamilyFlags(m.family)})
		out.row.counts.add(v.Statuses[i])
		families[m.family], names[m.repository] = true, true
		if m.maintainer != "" {
			maintainers[m.maintainer] = true
		}
	}
	for _, r := range out.repos {
		r.maintainers = slices.Compact(slices.Sorted(slices.Values(r.maintainers)))
	}
	out.row.packages, out.row.repos, out.row.families = uint64(len(members)), uint64(len(out.repos)), uint64(len(families))
	out.row.deleted = len(members) == 0
	out.row.maintainers = slices.Sorted(maps.Keys(maintainers))
	out.row.repositories = slices.Sorted(maps.Keys(names))
	return out
}

// stored is what projects_current holds of a touched project: its times
// carry on.
type stored struct {
	exists                 bool // a row, deleted or not
	firstSeen, lastChanged time.Time
}

// stamp sets the row's times: first_seen is the earliest snapshot in which
// the project was seen, last_changed the latest that changed it.
func (c *computed) stamp(was stored, at time.Time) {
	c.row.firstSeen, c.row.lastChanged = at, at
	if !was.exists {
		return
	}
	if was.firstSeen.Before(at) {
		c.row.firstSeen = was.firstSeen
	}
	if was.lastChanged.After(at) {
		c.row.lastChanged = was.lastChanged
	}
}

// gone returns deleted rows for the repositories that had the project
// (old) and have it no more.
func (c *computed) gone(old *computed) []repoRow {
	var out []repoRow
	for _, id := range slices.Sorted(maps.Keys(old.repos)) {
		if _, ok := c.repos[id]; !ok {
			out = append(out, repoRow{project: c.row.project, repositoryID: id, repository: old.repos[id].repository, deleted: true})
		}
	}
	return out
}
