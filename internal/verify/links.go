package verify

// The links projection: link_counts is recomputed from link_packages, the
// projection's own state. Every (URL, kind) the state ever held has a row;
// those no current package points at have zero counts (orphaned_at, the
// time that happened, is history and is not recomputed).

const linksWant = `SELECT link_id, kind, toUInt64(0), toUInt64(sum(c)), toUInt64(uniqExactIf(p, c = 1)),
	toUInt64(uniqExactIf(r, c = 1)), toDateTime(0)
FROM
(
	SELECT repository_id AS r, cur_project AS p, id AS link_id, kind, toUInt64(1) AS c
	FROM
	(
		SELECT repository_id, key, argMax(deleted, sequence) AS gone, argMax(project, sequence) AS cur_project,
			argMax(link_ids, sequence) AS ids, argMax(kinds, sequence) AS link_kinds
		FROM {{db}}.link_packages
		GROUP BY repository_id, key
	)
	ARRAY JOIN ids AS id, link_kinds AS kind
	WHERE gone = 0
	UNION ALL
	SELECT repository_id AS r, project AS p, id AS link_id, kind, toUInt64(0) AS c
	FROM {{db}}.link_packages
	ARRAY JOIN link_ids AS id, kinds AS kind
)
GROUP BY link_id, kind
ORDER BY link_id, kind`

func linkChecks() []*Check {
	links := &Check{
		Name: "links", Projector: "links", Table: "link_counts",
		Columns: []string{"link_id", "kind", "version", "num_packages", "num_projects", "num_repos", "orphaned_at"},
		Key:     []string{"link_id", "kind"}, Version: "version", Ignore: []string{"orphaned_at"},
		Want: queryStream(linksWant),
	}
	links.Got = tableStream(links, "")
	return []*Check{links}
}
