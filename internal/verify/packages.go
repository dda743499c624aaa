package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// The packages projection: packages_current is recomputed from its own
// history (the newest event of every key); package_history is counted per
// snapshot against the commit markers of the event log (history.go).

const packagesWant = `SELECT repository_id, key, toUInt64(max(sequence)),
	toUInt8(argMax(event, sequence) = 'disappeared'),
	argMax(project, sequence),
	argMax(if(event = 'disappeared', old_checksum, new_checksum), sequence),
	argMax(new_version, sequence)
FROM {{db}}.package_history_current FINAL
GROUP BY repository_id, key
ORDER BY repository_id, key`

func packageChecks() []*Check {
	packages := &Check{
		Name: "packages", Projector: "packages", Table: "packages_current",
		Columns: []string{"repository_id", "key", "sequence", "deleted", "project", "checksum", "version"},
		Key:     []string{"repository_id", "key"}, Group: "repository_id",
		Want:   queryStream(packagesWant),
		Repair: repairPackages,
	}
	packages.Got = tableStream(packages, "")
	return []*Check{packages, historyCheck()}
}

// repairPackages removes the rows that hide a key's row of the right
// snapshot, and extra keys. The other columns of a package are not in
// package_history, so a missing or merged-away row cannot be written
// again from it: a later verify still reports such a key (rebuild the
// projection from the event log to restore it).
func repairPackages(ctx context.Context, conn driver.Conn, db string, c *Check, diffs []Diff) error {
	var extra, wrong [][]any
	var keep []string
	for _, d := range diffs {
		switch {
		case d.Want == nil:
			extra = append(extra, d.Key)
		case d.Got != nil:
			wrong = append(wrong, d.Key)
			keep = append(keep, tuple([]any{d.Key[0], d.Key[1], d.Want.Cells[c.index("sequence")]}))
		}
	}
	if err := deleteKeys(ctx, conn, db, c.Table, c.Key, extra, ""); err != nil {
		return err
	}
	for start := 0; start < len(wrong); start += keysPerMutation {
		end := min(start+keysPerMutation, len(wrong))
		also := fmt.Sprintf("(repository_id, key, sequence) NOT IN (%s)", strings.Join(keep[start:end], ", "))
		if err := deleteKeys(ctx, conn, db, c.Table, c.Key, wrong[start:end], also); err != nil {
			return err
		}
	}
	return nil
}
