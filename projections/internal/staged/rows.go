package staged

import (
	"github.com/repodelta/repodelta/consumers"
)

// MaxPartitionsPerInsert keeps each insert into a pending table below
// current ClickHouse's max_partitions_per_insert_block (100 by default).
const MaxPartitionsPerInsert = 64

// RowColumns is the start of every pending table's column list, in the
// order of Rows.Columns.
const RowColumns = "repository_id, sequence, key, deleted, project"

// Rows holds the columns every pending table starts with, being built
// column by column. A projection embeds it and appends its own columns.
type Rows struct {
	repositories []string
	sequences    []uint64
	keys         []string
	deleted      []uint8
	projects     []string
}

// Add appends e's row.
func (r *Rows) Add(e consumers.Event, deleted bool) {
	r.repositories = append(r.repositories, e.Repository.ID())
	r.sequences = append(r.sequences, e.Sequence)
	r.keys = append(r.keys, e.Key)
	r.deleted = append(r.deleted, boolByte(deleted))
	r.projects = append(r.projects, e.Project)
}

// Len returns the number of rows added.
func (r *Rows) Len() int { return len(r.keys) }

// Columns returns the values in the order of RowColumns.
func (r *Rows) Columns() []any {
	return []any{r.repositories, r.sequences, r.keys, r.deleted, r.projects}
}

// Chunks returns the package events of batch, in order, split so that
// each chunk spans at most maxParts snapshots (partitions of a pending
// table). A batch without package events has no chunks.
func Chunks(batch []consumers.Event, maxParts int) [][]consumers.Event {
	type part struct {
		repository string
		sequence   uint64
	}
	var chunks [][]consumers.Event
	var chunk []consumers.Event
	parts := map[part]bool{}
	for _, e := range batch {
		if e.Type.IsMarker() {
			continue
		}
		k := part{e.Repository.ID(), e.Sequence}
		if !parts[k] && len(parts) == maxParts {
			chunks = append(chunks, chunk)
			chunk, parts = nil, map[part]bool{}
		}
		parts[k] = true
		chunk = append(chunk, e)
	}
	if len(chunk) > 0 {
		chunks = append(chunks, chunk)
	}
	return chunks
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
