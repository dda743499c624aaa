package pipeline

import (
	"github.com/repodelta/repodelta/projections/links"
	"github.com/repodelta/repodelta/projections/maintainers"
	"github.com/repodelta/repodelta/projections/packages"
	"github.com/repodelta/repodelta/projections/projects"
)

// ownedTables are, per projection, the tables it writes besides the
// shared ledger (snapshot_markers and watermarks, keyed by projector
// name): staging (*_pending), state, string dictionaries and the tables
// behind its views. A rebuild swaps exactly these; the views read them by
// name and need no swap. TestEveryTableHasOneOwner keeps the list whole.
var ownedTables = map[string][]string{
	packages.Name: {"packages_pending", "packages_current", "package_history_current"},
	projects.Name: {"projects_pending", "projects_state", "projects_maintainers", "package_statuses_current",
		"project_repositories_current", "projects_current", "repositories_current", "statistics_current",
		"statistics_history_current", "project_history_current"},
	maintainers.Name: {"maintainer_strings", "maintainers_pending", "maintainer_packages", "maintainer_counts"},
	links.Name:       {"link_urls", "links_pending", "link_packages", "link_counts"},
}

// ledgerTables are the shared bookkeeping tables, keyed by projector name
// and not partitioned by it: a swap copies the rebuild's rows under the
// live name instead of replacing partitions.
var ledgerTables = map[string]string{
	"snapshot_markers": "projector, repository, sequence, partition, partitions, previous_sequence, snapshot_time, offset, recorded",
	"watermarks":       "projector, repository, partition, sequence, offset, updated",
}
