package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// finishedChecks returns the summaries of the checks run runID finished,
// by check.
func finishedChecks(ctx context.Context, conn driver.Conn, db, runID string) (map[string][]Summary, error) {
	rows, err := conn.Query(ctx, "SELECT check_name, repository, want_rows, want_checksum, got_rows, got_checksum, differences"+
		" FROM "+db+".verify_runs FINAL WHERE run_id = ? ORDER BY check_name, repository", runID)
	if err != nil {
		return nil, fmt.Errorf("reading verify run %s: %w", runID, err)
	}
	defer rows.Close()
	out := map[string][]Summary{}
	for rows.Next() {
		var s Summary
		if err := rows.Scan(&s.Check, &s.Group, &s.WantRows, &s.WantChecksum, &s.GotRows, &s.GotChecksum, &s.Differences); err != nil {
			return nil, fmt.Errorf("reading verify run %s: %w", runID, err)
		}
		out[s.Check] = append(out[s.Check], s)
		if s == (Summary{Check: s.Check}) { // the row of a check without rows
			out[s.Check] = out[s.Check][:len(out[s.Check])-1]
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading verify run %s: %w", runID, err)
	}
	return out, nil
}

// recordFinished writes the summaries of a finished check in one block;
// a check without rows gets one empty row, so that it counts as finished.
func recordFinished(ctx context.Context, conn driver.Conn, db, runID, check string, sums []Summary) error {
	if len(sums) == 0 {
		sums = []Summary{{Check: check}}
	}
	b, err := conn.PrepareBatch(ctx, "INSERT INTO "+db+".verify_runs (run_id, check_name, repository, want_rows,"+
		" want_checksum, got_rows, got_checksum, differences, finished)")
	if err != nil {
		return fmt.Errorf("recording check %s of run %s: %w", check, runID, err)
	}
	now := time.Now().UTC()
	for _, s := range sums {
		if err := b.Append(runID, check, s.Group, s.WantRows, s.WantChecksum, s.GotRows, s.GotChecksum, s.Differences, now); err != nil {
			_ = b.Abort()
			return fmt.Errorf("recording check %s of run %s: %w", check, runID, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("recording check %s of run %s: %w", check, runID, err)
	}
	return nil
}

// LatestRun returns the ID of the run that last finished a check, "" when
// there is none: what `verify --resume` continues.
func LatestRun(ctx context.Context, conn driver.Conn, db string) (string, error) {
	var id string
	rows, err := conn.Query(ctx, "SELECT run_id FROM "+db+".verify_runs ORDER BY finished DESC, run_id DESC LIMIT 1")
	if err != nil {
		return "", fmt.Errorf("reading the latest verify run: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return "", fmt.Errorf("reading the latest verify run: %w", err)
		}
	}
	return id, rows.Err()
}
