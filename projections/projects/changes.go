package projects

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// change is one package event of a snapshot, as staged.
type change struct {
	key, event, project, name, version, maintainer string
}

func (c change) gone() bool { return c.event == "disappeared" }

// prior is what projects_state held of a package before a snapshot.
type prior struct{ project, maintainer string }

// changesQuery reads a snapshot's staged events, one per key (a
// duplicated event is staged twice, identically), each changed or
// disappeared one with its project and maintainer before the snapshot:
// those of the package's newest state row under the event's project, if
// that row is live. A package is in one project at a time, and leaving
// one writes a deleted row there, so that row is live exactly when the
// package was in that project. Most packages stay in their project, and
// this finds them by primary key. It binds the repository id and the
// sequence four times.
const changesQuery = `SELECT key, event, project, name, version, maintainer, prior_project, prior_maintainer, found
FROM
(
	SELECT DISTINCT key, event, project, name, version, maintainer
	FROM %[1]s.projects_pending
	WHERE repository_id = ? AND sequence = ?
)
ANY LEFT JOIN
(
	SELECT key, project AS prior_project, argMax(maintainer, sequence) AS prior_maintainer, toUInt8(1) AS found
	FROM %[1]s.projects_state
	WHERE project IN (SELECT project FROM %[1]s.projects_pending WHERE repository_id = ? AND sequence = ?)
		AND repository_id = ? AND sequence < ?
		AND key IN (SELECT key FROM %[1]s.projects_pending WHERE repository_id = ? AND sequence = ? AND event != 'appeared')
	GROUP BY project, key
	HAVING argMax(deleted, sequence) = 0
)
USING key`

// readChanges returns the staged events of snapshot s sorted by key, and
// the priors of its changed and disappeared packages by key (the
// producer only reports those for a key its previous snapshot held).
func (p *Projection) readChanges(ctx context.Context, conn driver.Conn, s consumers.Snapshot) ([]change, map[string]prior, error) {
	var (
		out    []change
		priors = map[string]prior{}
		moved  []string // looked up under the event's project in vain
		id     = s.Repository.ID()
	)
	args := []any{id, s.Sequence, id, s.Sequence, id, s.Sequence, id, s.Sequence}
	err := p.queryRows(ctx, conn, fmt.Sprintf(changesQuery, p.database), args, func(rows driver.Rows) error {
		var (
			c     change
			was   prior
			found uint8
		)
		if err := rows.Scan(&c.key, &c.event, &c.project, &c.name, &c.version, &c.maintainer, &was.project, &was.maintainer, &found); err != nil {
			return err
		}
		switch {
		case found == 1:
			priors[c.key] = was
		case c.event != "appeared":
			moved = append(moved, c.key)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reading staged events of snapshot %d of %s: %w", s.Sequence, id, err)
	}
	slices.SortFunc(out, func(a, b change) int { return cmp.Compare(a.key, b.key) })
	return out, priors, p.priorsAnywhere(ctx, conn, s, moved, priors)
}

// priorsAnywhere looks the priors of keys up in every project: the newest
// live row of each key older than s.
func (p *Projection) priorsAnywhere(ctx context.Context, conn driver.Conn, s consumers.Snapshot, keys []string, out map[string]prior) error {
	query := "SELECT key, argMax(project, sequence), argMax(maintainer, sequence) FROM " + p.database + ".projects_state" +
		" WHERE repository_id = ? AND sequence < ? AND deleted = 0 AND key IN ? GROUP BY key"
	err := inChunks(keys, p.setBytes, func(set clickhouse.GroupSet) error {
		return p.queryRows(ctx, conn, query, []any{s.Repository.ID(), s.Sequence, set}, func(rows driver.Rows) error {
			var (
				key string
				was prior
			)
			err := rows.Scan(&key, &was.project, &was.maintainer)
			out[key] = was
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("looking up %d moved packages of %s: %w", len(keys), s.Repository.ID(), err)
	}
	return nil
}

// movedFrom returns, for the changed packages that belonged to another
// project before, that project, by key.
func movedFrom(changes []change, priors map[string]prior) map[string]string {
	out := map[string]string{}
	for _, c := range changes {
		if was, ok := priors[c.key]; ok && c.event == "changed" && was.project != c.project {
			out[c.key] = was.project
		}
	}
	return out
}
