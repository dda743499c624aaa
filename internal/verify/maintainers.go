package verify

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// The maintainers projection: maintainer_counts is recomputed from
// maintainer_packages, the projection's own state (the newest row of every
// package key, unless it disappeared).

// maintainerState is every person of every current package of the state.
const maintainerState = `SELECT repository_id, cur_project, id, name_id, role FROM
(
	SELECT repository_id, key, argMax(deleted, sequence) AS gone, argMax(project, sequence) AS cur_project,
		argMax(maintainer_ids, sequence) AS ids, argMax(name_ids, sequence) AS names, argMax(roles, sequence) AS person_roles
	FROM {{db}}.maintainer_packages
	GROUP BY repository_id, key
)
ARRAY JOIN ids AS id, names AS name_id, person_roles AS role
WHERE gone = 0 AND role IN (1, 2)`

// maintainerCounts are the count columns of maintainer_counts over the
// rows of maintainerState; in a repository's row num_repos* are 0.
func maintainerCounts(repos string) string {
	return `toUInt64(countIf(role = 1)), toUInt64(uniqExactIf(cur_project, role = 1)), ` + repos + `(repository_id, role = 1)),
	toUInt64(countIf(role = 2)), toUInt64(uniqExactIf(cur_project, role = 2)), ` + repos + `(repository_id, role = 2))`
}

var (
	maintainersWant = `SELECT id, '', toUInt64(0), toUInt64(0), ` + maintainerCounts("toUInt64(uniqExactIf") + `,
	groupArrayIf(name_id, name_id != 0)
FROM (` + maintainerState + `)
GROUP BY id ORDER BY id`
	maintainerReposWant = `SELECT id, repository_id, toUInt64(0), toUInt64(0), ` + maintainerCounts("toUInt64(0 * countIf") + `
FROM (` + maintainerState + `)
GROUP BY repository_id, id ORDER BY repository_id, id`
)

var maintainerColumns = []string{"maintainer_id", "repository_id", "version", "name_id", "num_packages", "num_projects",
	"num_repos", "num_packages_uploader", "num_projects_uploader", "num_repos_uploader"}

func maintainerChecks() []*Check {
	all := &Check{
		Name: "maintainers", Projector: "maintainers", Table: "maintainer_counts", Columns: maintainerColumns,
		Key: []string{"maintainer_id", "repository_id"}, Version: "version",
		Want: withDisplayName(queryStream(maintainersWant)),
	}
	all.Got = tableStream(all, "repository_id = '' AND num_packages + num_packages_uploader > 0")
	repos := &Check{
		Name: "maintainer_repositories", Projector: "maintainers", Table: "maintainer_counts", Columns: maintainerColumns,
		Key: []string{"repository_id", "maintainer_id"}, Group: "repository_id", Version: "version",
		Want: queryStream(maintainerReposWant),
	}
	repos.Got = tableStream(repos, "repository_id != '' AND num_packages + num_packages_uploader > 0")
	return []*Check{all, repos}
}

// withDisplayName turns the name ids of a maintainer's packages (the last
// cell) into the display name chosen: the one most packages give, the
// smaller id on a tie; without any, the maintainer's own id.
func withDisplayName(s Stream) Stream {
	return func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error {
		return s(ctx, conn, db, func(r Row) error {
			last := len(r.Cells) - 1
			names, _ := r.Cells[last].([]uint64)
			id := r.Cells[0].(uint64)
			votes := map[uint64]uint64{}
			best, most := id, uint64(0)
			for _, n := range names {
				votes[n]++
			}
			for n, v := range votes {
				if v > most || (v == most && n < best) {
					best, most = n, v
				}
			}
			r.Cells[3] = best
			r.Cells = r.Cells[:last]
			return fn(r)
		})
	}
}
