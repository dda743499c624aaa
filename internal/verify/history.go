package verify

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/events"
)

// EventLog is the event log the package_history check reads:
// internal/eventlog.Log.
type EventLog interface {
	ReadAll(ctx context.Context, fn func(*events.Envelope) error) error
}

const historyGot = `SELECT repository_id, sequence, toUInt64(countIf(event = 'appeared')),
	toUInt64(countIf(event = 'changed')), toUInt64(countIf(event = 'disappeared'))
FROM {{db}}.package_history_current FINAL
GROUP BY repository_id, sequence
ORDER BY repository_id, sequence`

func historyCheck() *Check {
	return &Check{
		Name: "package_history", Projector: "packages", Table: "package_history_current",
		Columns: []string{"repository_id", "sequence", "appeared", "changed", "disappeared"},
		Key:     []string{"repository_id", "sequence"}, Group: "repository_id",
		Got:      queryStream(historyGot),
		FromLog:  markerCounts,
		NoRepair: "package_history holds the events themselves; rebuild the packages projection from the event log",
	}
}

// snapshot is one snapshot's commit markers as read from the log.
type snapshot struct {
	counts     events.Counts
	partitions int32
	seen       map[int32]bool
}

// markerCounts streams, per committed snapshot the packages projector has
// promoted, the event counts its commit marker states. It keeps one small
// record per snapshot, never the events.
func markerCounts(log EventLog) Stream {
	return func(ctx context.Context, conn driver.Conn, db string, fn func(Row) error) error {
		promoted, err := watermarks(ctx, conn, db, "packages")
		if err != nil {
			return err
		}
		snaps := map[[2]any]*snapshot{}
		err = log.ReadAll(ctx, func(e *events.Envelope) error {
			if e.Type != events.SnapshotCommitted || e.Marker == nil {
				return nil
			}
			k := [2]any{e.Repository.ID(), e.Sequence}
			s := snaps[k]
			if s == nil {
				s = &snapshot{counts: e.Marker.Counts, partitions: e.Marker.Partitions, seen: map[int32]bool{}}
				snaps[k] = s
			}
			s.seen[e.Marker.Partition] = true
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading the commit markers: %w", err)
		}
		keys := slices.SortedFunc(maps.Keys(snaps), func(a, b [2]any) int { return compareKeys(a[:], b[:]) })
		for _, k := range keys {
			s := snaps[k]
			repo, seq := k[0].(string), k[1].(uint64)
			if len(s.seen) < int(max(s.partitions, 1)) || seq > promoted[repo] || s.counts.Events() == 0 {
				continue // aborted, not promoted yet, or without events
			}
			c := s.counts
			if err := fn(Row{Cells: []any{repo, seq, uint64(c.Appeared), uint64(c.Changed), uint64(c.Disappeared)}}); err != nil {
				return err
			}
		}
		return nil
	}
}

// watermarks returns the committed snapshot of every repository for a
// projector.
func watermarks(ctx context.Context, conn driver.Conn, db, projector string) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := scan(ctx, conn, "SELECT repository, toUInt64(sequence) FROM "+db+".projector_watermarks WHERE projector = '"+projector+"'",
		func(cells []any) error {
			out[cells[0].(string)] = cells[1].(uint64)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("reading the watermarks of %s: %w", projector, err)
	}
	return out, nil
}
