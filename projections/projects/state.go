package projects

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

const stateInsert = "INSERT INTO %s.projects_state (project, repository_id, key, sequence, deleted, repository, family, name, version, maintainer)"

// writeState applies snapshot s to projects_state: a row per event, and a
// deleted row under its old project for every package that moved.
func (p *Projection) writeState(ctx context.Context, conn driver.Conn, s consumers.Snapshot, changes []change, moved map[string]string) error {
	repo := s.Repository
	movedKeys := slices.Sorted(maps.Keys(moved))
	err := p.insertRows(ctx, conn, fmt.Sprintf(stateInsert, p.database), len(changes)+len(movedKeys), func(i int) []any {
		if i >= len(changes) {
			key := movedKeys[i-len(changes)]
			return []any{moved[key], repo.ID(), key, s.Sequence, uint8(1), repo.Name, repo.Family, "", "", ""}
		}
		c := changes[i]
		return []any{c.project, repo.ID(), c.key, s.Sequence, flag(c.gone()), repo.Name, repo.Family, c.name, c.version, c.maintainer}
	})
	if err != nil {
		return fmt.Errorf("writing the state of snapshot %d of %s: %w", s.Sequence, repo.ID(), err)
	}
	return nil
}

// readMembers returns the packages the given projects had before snapshot
// s, by project, from projects_state: it is read beside writeState. It
// reads without FINAL, which costs more on 18.16 than the few rows it
// saves, and keeps the newest row of each package itself.
func (p *Projection) readMembers(ctx context.Context, conn driver.Conn, s consumers.Snapshot, projects []string) (map[string][]pkg, error) {
	type row struct {
		pkg
		sequence uint64
		deleted  uint8
	}
	newest := map[[3]string]row{}
	query := "SELECT project, repository_id, key, sequence, deleted, repository, family, name, version, maintainer FROM " +
		p.database + ".projects_state WHERE project IN ? AND (repository_id != ? OR sequence < ?)"
	err := inChunks(projects, p.setBytes, func(set clickhouse.GroupSet) error {
		return p.queryRows(ctx, conn, query, []any{set, s.Repository.ID(), s.Sequence}, func(rows driver.Rows) error {
			var r row
			err := rows.Scan(&r.project, &r.repositoryID, &r.key, &r.sequence, &r.deleted, &r.repository, &r.family, &r.name, &r.version, &r.maintainer)
			k := [3]string{r.project, r.repositoryID, r.key}
			if was, ok := newest[k]; !ok || r.sequence > was.sequence {
				newest[k] = r
			}
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the packages of %d projects: %w", len(projects), err)
	}
	out := make(map[string][]pkg, len(projects))
	for _, r := range newest {
		if r.deleted == 0 {
			out[r.project] = append(out[r.project], r.pkg)
		}
	}
	return out, nil
}

// applyChanges turns the packages the touched projects had before
// snapshot s into those they have after it: what writeState writes.
func applyChanges(members map[string][]pkg, s consumers.Snapshot, changes []change, moved map[string]string) map[string][]pkg {
	id := s.Repository.ID()
	leaving := map[[2]string]bool{} // project, key of the snapshot's repository
	for _, c := range changes {
		leaving[[2]string{c.project, c.key}] = true
		if from, ok := moved[c.key]; ok {
			leaving[[2]string{from, c.key}] = true
		}
	}
	out := make(map[string][]pkg, len(members))
	for project, ms := range members {
		for _, m := range ms {
			if m.repositoryID != id || !leaving[[2]string{project, m.key}] {
				out[project] = append(out[project], m)
			}
		}
	}
	for _, c := range changes {
		if !c.gone() {
			out[c.project] = append(out[c.project], pkg{project: c.project, repositoryID: id, key: c.key,
				repository: s.Repository.Name, family: s.Repository.Family, name: c.name, version: c.version, maintainer: c.maintainer})
		}
	}
	return out
}
