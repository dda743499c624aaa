package projects

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// readStored returns what projects_current holds of the given projects,
// deleted rows included: the newest row of each (without FINAL, as
// readMembers).
func (p *Projection) readStored(ctx context.Context, conn driver.Conn, projects []string) (map[string]stored, error) {
	out, gens := make(map[string]stored, len(projects)), map[string]uint64{}
	query := "SELECT project, generation, first_seen, last_changed FROM " + p.database + ".projects_current WHERE project IN ?"
	err := inChunks(projects, p.setBytes, func(set clickhouse.GroupSet) error {
		return p.queryRows(ctx, conn, query, []any{set}, func(rows driver.Rows) error {
			var (
				name                   string
				gen                    uint64
				firstSeen, lastChanged time.Time
			)
			if err := rows.Scan(&name, &gen, &firstSeen, &lastChanged); err != nil {
				return err
			}
			if was, ok := gens[name]; !ok || gen > was {
				out[name] = stored{exists: true, firstSeen: firstSeen.UTC(), lastChanged: lastChanged.UTC()}
				gens[name] = gen
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading the rows of %d projects: %w", len(projects), err)
	}
	return out, nil
}
