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

// maintainerChanges returns how a snapshot changes the number of its
// repository's packages per maintainer: a package counts for its
// maintainer (see maintainerOf) and for none when it has none.
func maintainerChanges(changes []change, priors map[string]prior) map[string]int64 {
	out := map[string]int64{}
	for _, c := range changes {
		if was, ok := priors[c.key]; ok && was.maintainer != "" {
			out[was.maintainer]--
		}
		if !c.gone() && c.maintainer != "" {
			out[c.maintainer]++
		}
	}
	for m, n := range out {
		if n == 0 {
			delete(out, m)
		}
	}
	return out
}

// maintainerCount is a row of projects_maintainers: how many packages of
// the snapshot's repository a maintainer has after it.
type maintainerCount struct {
	maintainer string
	packages   uint64
}

// maintainers is what a snapshot does to the maintainer counts.
type maintainers struct {
	rows       []maintainerCount
	repository int64 // change in the repository's distinct maintainers
	global     int64 // change in the distinct maintainers of all repositories
}

// countMaintainers applies changes to the counts the snapshot's repository
// had before it. A maintainer's count going from zero or to zero changes
// the repository's distinct maintainers, and the global ones unless
// another repository has the maintainer.
func (p *Projection) countMaintainers(ctx context.Context, conn driver.Conn, s consumers.Snapshot, changes map[string]int64) (maintainers, error) {
	names := slices.Sorted(maps.Keys(changes))
	old, elsewhere := map[string]uint64{}, map[string]bool{}
	err := inChunks(names, p.setBytes, func(set clickhouse.GroupSet) error {
		return parallel(ctx, func(ctx context.Context) error {
			return p.readMaintainerCounts(ctx, conn, s, set, old)
		}, func(ctx context.Context) error {
			return p.readMaintainersElsewhere(ctx, conn, s, set, elsewhere)
		})
	})
	if err != nil {
		return maintainers{}, fmt.Errorf("reading the counts of %d maintainers: %w", len(names), err)
	}
	var out maintainers
	for _, m := range names {
		was := old[m]
		now := max(int64(was)+changes[m], 0)
		out.rows = append(out.rows, maintainerCount{maintainer: m, packages: uint64(now)})
		step := int64(0)
		switch {
		case was == 0 && now > 0:
			step = 1
		case was > 0 && now == 0:
			step = -1
		}
		out.repository += step
		if !elsewhere[m] {
			out.global += step
		}
	}
	return out, nil
}

// readMaintainerCounts reads the counts of a set of maintainers in the
// snapshot's repository before the snapshot.
func (p *Projection) readMaintainerCounts(ctx context.Context, conn driver.Conn, s consumers.Snapshot, set clickhouse.GroupSet, out map[string]uint64) error {
	query := "SELECT maintainer, argMax(packages, sequence) FROM " + p.database + ".projects_maintainers" +
		" WHERE repository_id = ? AND sequence < ? AND maintainer IN ? GROUP BY maintainer"
	return p.queryRows(ctx, conn, query, []any{s.Repository.ID(), s.Sequence, set}, func(rows driver.Rows) error {
		var (
			m string
			n uint64
		)
		err := rows.Scan(&m, &n)
		out[m] = n
		return err
	})
}

// readMaintainersElsewhere reads which of a set of maintainers have
// packages in another repository than the snapshot's.
func (p *Projection) readMaintainersElsewhere(ctx context.Context, conn driver.Conn, s consumers.Snapshot, set clickhouse.GroupSet, out map[string]bool) error {
	query := "SELECT DISTINCT maintainer FROM (SELECT repository_id, maintainer, argMax(packages, sequence) AS n FROM " +
		p.database + ".projects_maintainers WHERE repository_id != ? AND maintainer IN ? GROUP BY repository_id, maintainer) WHERE n > 0"
	return p.queryRows(ctx, conn, query, []any{s.Repository.ID(), set}, func(rows driver.Rows) error {
		var m string
		err := rows.Scan(&m)
		out[m] = true
		return err
	})
}

const maintainerInsert = "INSERT INTO %s.projects_maintainers (repository_id, maintainer, sequence, packages)"

func (p *Projection) insertMaintainers(ctx context.Context, conn driver.Conn, s consumers.Snapshot, rows []maintainerCount) error {
	err := p.insertRows(ctx, conn, fmt.Sprintf(maintainerInsert, p.database), len(rows), func(i int) []any {
		return []any{s.Repository.ID(), rows[i].maintainer, s.Sequence, rows[i].packages}
	})
	if err != nil {
		return fmt.Errorf("writing %d maintainer counts of %s: %w", len(rows), s.Repository.ID(), err)
	}
	return nil
}
