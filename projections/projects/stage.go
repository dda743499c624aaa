package projects

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
)

// maxPartitionsPerInsert keeps each insert into projects_pending below
// current ClickHouse's max_partitions_per_insert_block (100 by default).
const maxPartitionsPerInsert = 64

const pendingInsert = "INSERT INTO %s.projects_pending (repository_id, sequence, key, event, project, name, version, maintainer)"

// pendingRows are rows of projects_pending being built, column by column.
type pendingRows struct {
	repositoryID, key, event, project, name, version, maintainer []string
	sequence                                                     []uint64
}

func (r *pendingRows) len() int { return len(r.key) }

func (r *pendingRows) add(e *events.Envelope) {
	r.repositoryID = append(r.repositoryID, e.Repository.ID())
	r.sequence = append(r.sequence, e.Sequence)
	r.key = append(r.key, e.Key)
	r.event = append(r.event, strings.TrimPrefix(string(e.Type), "package."))
	r.project = append(r.project, e.Project)
	var name, version, maintainer string
	if e.Package != nil {
		name, version, maintainer = e.Package.Name, e.Package.Version, maintainerOf(e.Package.Maintainer)
	}
	r.name = append(r.name, name)
	r.version = append(r.version, version)
	r.maintainer = append(r.maintainer, maintainer)
}

// columns returns the columns in the order of pendingInsert.
func (r *pendingRows) columns() []any {
	return []any{r.repositoryID, r.sequence, r.key, r.event, r.project, r.name, r.version, r.maintainer}
}

// maintainerOf is how a maintainer is counted: the e-mail address,
// lower-cased, or the name when there is no address.
func maintainerOf(p events.Person) string {
	if p.Email != "" {
		return strings.ToLower(p.Email)
	}
	return p.Name
}

// stage inserts a row into projects_pending for every package event of
// batch, in as few inserts as the partition limit allows.
func (p *Projection) stage(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	type part struct {
		repository string
		sequence   uint64
	}
	rows := &pendingRows{}
	parts := map[part]bool{}
	for _, e := range batch {
		if e.Type.IsMarker() {
			continue
		}
		k := part{e.Repository.ID(), e.Sequence}
		if !parts[k] && len(parts) == p.maxParts {
			if err := p.insertPending(ctx, conn, rows); err != nil {
				return err
			}
			rows, parts = &pendingRows{}, map[part]bool{}
		}
		parts[k] = true
		rows.add(e.Envelope)
	}
	return p.insertPending(ctx, conn, rows)
}

// insertPending sends rows as one insert.
func (p *Projection) insertPending(ctx context.Context, conn driver.Conn, rows *pendingRows) error {
	if rows.len() == 0 {
		return nil
	}
	batch, err := conn.PrepareBatch(ctx, fmt.Sprintf(pendingInsert, p.database))
	if err != nil {
		return fmt.Errorf("staging %d package events: %w", rows.len(), err)
	}
	defer func() { _ = batch.Close() }()
	for i, col := range rows.columns() {
		if err := batch.Column(i).Append(col); err != nil {
			return fmt.Errorf("staging %d package events, column %d: %w", rows.len(), i, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("staging %d package events: %w", rows.len(), err)
	}
	return nil
}
