package projects

import "github.com/ClickHouse/clickhouse-go/v2"

// maxSetBytes bounds the text of the literal set of one "x IN ?" query:
// ClickHouse refuses queries over max_query_size (256 KiB by default).
const maxSetBytes = 64 << 10

// inChunks calls fn with items cut into sets to bind to "x IN ?", each of
// at most about maxBytes of literal text. It calls fn never for no items.
// (A []string bound to "x IN ?" becomes an array literal, which 18.16
// rejects; a GroupSet becomes a tuple, and IN a tuple uses the primary
// key where has() does not.)
func inChunks(items []string, maxBytes int, fn func(set clickhouse.GroupSet) error) error {
	var (
		set  []any
		size int
	)
	for _, it := range items {
		if len(set) > 0 && size+len(it)+4 > maxBytes {
			if err := fn(clickhouse.GroupSet{Value: set}); err != nil {
				return err
			}
			set, size = nil, 0
		}
		set = append(set, it)
		size += len(it) + 4
	}
	if len(set) == 0 {
		return nil
	}
	return fn(clickhouse.GroupSet{Value: set})
}
