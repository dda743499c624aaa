package links

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// entryColumns are the columns of links_pending and of the state after
// staged.RowColumns, in the order of pending.columns.
var entryColumns = []string{"link_ids", "kinds"}

// linkURLs is link_urls: the URLs link ids are hashes of.
var linkURLs = staged.Dictionary{Table: "link_urls", ID: "link_id", Value: "url", Noun: "URLs"}

// pending holds rows of links_pending being built, column by column.
type pending struct {
	staged.Rows
	ids   [][]uint64
	kinds [][]string
}

func (r *pending) add(e consumers.Event, links []link, deleted bool) {
	ids, kinds := make([]uint64, len(links)), make([]string, len(links))
	for i, l := range links {
		ids[i], kinds[i] = l.id, l.kind
	}
	r.Add(e, deleted)
	r.ids = append(r.ids, ids)
	r.kinds = append(r.kinds, kinds)
}

// columns returns the values in the order of staged.RowColumns, then
// entryColumns.
func (r *pending) columns() []any {
	return append(r.Columns(), r.ids, r.kinds)
}

// stage inserts the URLs of the batch's package events into link_urls,
// then a row per package event into links_pending, in as few inserts as
// the partition limit allows. URLs go first: an id is never visible before
// its URL.
func (p *Projection) stage(ctx context.Context, conn driver.Conn, batch []consumers.Event) error {
	urls := map[uint64]string{}
	var chunks []*pending
	for _, c := range staged.Chunks(batch, p.maxParts) {
		rows := &pending{}
		for _, e := range c {
			var links []link
			if e.Package != nil {
				links = linksOf(e.Package, urls)
			}
			rows.add(e, links, e.Package == nil)
		}
		chunks = append(chunks, rows)
	}
	if err := linkURLs.Store(ctx, conn, p.database, urls); err != nil {
		return err
	}
	for _, c := range chunks {
		if err := p.tables.InsertPending(ctx, conn, c.Len(), c.columns()); err != nil {
			return err
		}
	}
	return nil
}
