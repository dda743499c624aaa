package links

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// maxPartitionsPerInsert keeps each insert into links_pending below
// current ClickHouse's max_partitions_per_insert_block (100 by default).
const maxPartitionsPerInsert = 64

// pendingColumns is the column list of the staging insert (18.16 needs
// it to describe the columns).
const pendingColumns = "repository_id, sequence, key, deleted, project, link_ids, kinds"

// pending holds rows of links_pending being built, column by column.
type pending struct {
	repositories []string
	sequences    []uint64
	keys         []string
	deleted      []uint8
	projects     []string
	ids          [][]uint64
	kinds        [][]string
}

func (r *pending) add(e consumers.Event, links []link, deleted bool) {
	ids, kinds := make([]uint64, len(links)), make([]string, len(links))
	for i, l := range links {
		ids[i], kinds[i] = l.id, l.kind
	}
	r.repositories = append(r.repositories, e.Repository.ID())
	r.sequences = append(r.sequences, e.Sequence)
	r.keys = append(r.keys, e.Key)
	r.deleted = append(r.deleted, boolByte(deleted))
	r.projects = append(r.projects, e.Project)
	r.ids = append(r.ids, ids)
	r.kinds = append(r.kinds, kinds)
}

func (r *pending) len() int { return len(r.keys) }

// columns returns the values in the order of pendingColumns.
func (r *pending) columns() []any {
	return []any{r.repositories, r.sequences, r.keys, r.deleted, r.projects, r.ids, r.kinds}
}

// stage inserts the URLs of the batch's package events into link_urls,
// then a row per package event into links_pending, in as few inserts as
// the partition limit allows. URLs go first: an id is never visible before
// its URL.
func (p *Projection) stage(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	type part struct {
		repository string
		sequence   uint64
	}
	urls := map[uint64]string{}
	var chunks []*pending
	rows, parts := &pending{}, map[part]bool{}
	for _, e := range batch {
		if e.Type.IsMarker() {
			continue
		}
		k := part{e.Repository.ID(), e.Sequence}
		if !parts[k] && len(parts) == p.maxParts {
			chunks = append(chunks, rows)
			rows, parts = &pending{}, map[part]bool{}
		}
		parts[k] = true
		var links []link
		if e.Package != nil {
			links = linksOf(e.Package, urls)
		}
		rows.add(e, links, e.Package == nil)
	}
	chunks = append(chunks, rows)
	if err := p.insertURLs(ctx, conn, urls); err != nil {
		return err
	}
	for _, c := range chunks {
		if err := p.insertPending(ctx, conn, c); err != nil {
			return err
		}
	}
	return nil
}

// insertURLs stores the URLs of urls that link_urls lacks.
func (p *Projection) insertURLs(ctx context.Context, conn driver.Conn, urls map[uint64]string) error {
	if err := p.dropKnown(ctx, conn, urls); err != nil {
		return err
	}
	if len(urls) == 0 {
		return nil
	}
	ids, values := make([]uint64, 0, len(urls)), make([]string, 0, len(urls))
	for id, u := range urls {
		ids, values = append(ids, id), append(values, u)
	}
	if err := sendColumns(ctx, conn, "INSERT INTO "+p.database+".link_urls (link_id, url)", ids, values); err != nil {
		return fmt.Errorf("storing %d URLs: %w", len(urls), err)
	}
	return nil
}

// dropKnown removes from urls the ids link_urls holds already, when they
// are few enough to list: a query is cheaper than an insert, and a delta's
// URLs are mostly known. URLs are never removed, so one found stays found.
func (p *Projection) dropKnown(ctx context.Context, conn driver.Conn, urls map[uint64]string) error {
	list := inList("link_id", slices.Collect(maps.Keys(urls)))
	if len(urls) == 0 || list == "" {
		return nil
	}
	rows, err := conn.Query(ctx, "SELECT link_id FROM "+p.database+".link_urls WHERE 1 = 1"+list)
	if err != nil {
		return fmt.Errorf("looking up %d URLs: %w", len(urls), err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint64
		if err := rows.Scan(&id); err != nil {
			return fmt.Errorf("looking up %d URLs: %w", len(urls), err)
		}
		delete(urls, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("looking up %d URLs: %w", len(urls), err)
	}
	return nil
}

func (p *Projection) insertPending(ctx context.Context, conn driver.Conn, rows *pending) error {
	if rows.len() == 0 {
		return nil
	}
	query := "INSERT INTO " + p.database + ".links_pending (" + pendingColumns + ")"
	if err := sendColumns(ctx, conn, query, rows.columns()...); err != nil {
		return fmt.Errorf("staging %d package events: %w", rows.len(), err)
	}
	return nil
}

// sendColumns inserts one block: the i-th value is the slice of the i-th
// column of the query's column list.
func sendColumns(ctx context.Context, conn driver.Conn, query string, columns ...any) error {
	batch, err := conn.PrepareBatch(ctx, query)
	if err != nil {
		return err
	}
	defer func() { _ = batch.Close() }()
	for i, c := range columns {
		if err := batch.Column(i).Append(c); err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
	}
	return batch.Send()
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
