package staged

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// Tables names a projection's pending table and the state table its
// snapshots are promoted into. The zero value is not usable. Safe for
// concurrent use: it holds names only.
type Tables struct {
	Database string
	Pending  string // e.g. "links_pending"
	State    string // e.g. "link_packages"
	// Entries are the columns, after RowColumns, of both Pending and
	// State: arrays of what each package contributes to the counts.
	Entries []string
}

// oneBlock keeps an INSERT … SELECT a single block, hence a single part
// that becomes visible at once: squash everything the SELECT yields (the
// thresholds are never reached). Integers, as 18.16's protocol needs.
var oneBlock = clickhouse.Settings{
	"max_insert_block_size":       1 << 40,
	"min_insert_block_size_rows":  1 << 40,
	"min_insert_block_size_bytes": 1 << 40,
}

// InsertPending inserts rows into the pending table, in one block: values
// are the slices of RowColumns, then of Entries. No rows, no insert.
func (t Tables) InsertPending(ctx context.Context, conn driver.Conn, rows int, values []any) error {
	if rows == 0 {
		return nil
	}
	// The column list is needed by 18.16 to describe the columns.
	query := "INSERT INTO " + t.Database + "." + t.Pending + " (" + RowColumns + ", " + strings.Join(t.Entries, ", ") + ")"
	if err := SendColumns(ctx, conn, query, values...); err != nil {
		return fmt.Errorf("staging %d package events: %w", rows, err)
	}
	return nil
}

// PromoteState copies s's staged rows into the state, as one block: a
// reader of the state sees all of s or none of it. Rows already there (a
// repeated promotion) are identical.
func (t Tables) PromoteState(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	columns := "repository_id, key, sequence, deleted, project, " + strings.Join(t.Entries, ", ")
	query := "INSERT INTO " + t.Database + "." + t.State + " (" + columns + ")\nSELECT " + columns +
		"\nFROM " + t.Database + "." + t.Pending + "\nWHERE repository_id = ? AND sequence = ?"
	qctx := clickhouse.Context(ctx, clickhouse.WithSettings(oneBlock))
	if err := conn.Exec(qctx, query, s.Repository.ID(), s.Sequence); err != nil {
		return fmt.Errorf("promoting snapshot %d of %s: %w", s.Sequence, s.Repository.ID(), err)
	}
	return nil
}

// DropPending drops the pending partitions of s and of every snapshot
// between the one s was diffed against and s: those were aborted, so
// their rows can never be promoted. Older snapshots are left alone: one
// may be complete and promoted by a slower process right now.
func (t Tables) DropPending(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	repo := s.Repository.ID()
	seqs, err := t.pendingSequences(ctx, conn, repo, s.PreviousSequence, s.Sequence)
	if err != nil {
		return err
	}
	for _, seq := range seqs {
		err := conn.Exec(ctx, "ALTER TABLE "+t.Database+"."+t.Pending+" DROP PARTITION (?, ?)", repo, seq)
		if err != nil {
			return fmt.Errorf("dropping staged rows of snapshot %d of %s: %w", seq, repo, err)
		}
	}
	return nil
}

// pendingSequences lists the snapshots of repo in (after, upTo] that have
// staged rows.
func (t Tables) pendingSequences(ctx context.Context, conn driver.Conn, repo string, after, upTo uint64) ([]uint64, error) {
	rows, err := conn.Query(ctx, "SELECT DISTINCT sequence FROM "+t.Database+"."+t.Pending+
		" WHERE repository_id = ? AND sequence > ? AND sequence <= ?", repo, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("listing staged snapshots of %s: %w", repo, err)
	}
	defer rows.Close()
	var seqs []uint64
	for rows.Next() {
		var seq uint64
		if err := rows.Scan(&seq); err != nil {
			return nil, fmt.Errorf("listing staged snapshots of %s: %w", repo, err)
		}
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing staged snapshots of %s: %w", repo, err)
	}
	return seqs, nil
}

// StateVersion returns the version of rows spanning repositories: the
// sum over repositories of the newest snapshot sequence in the state.
// Every promotion that changes the state raises it; nothing else does.
func (t Tables) StateVersion(ctx context.Context, conn driver.Conn) (uint64, error) {
	var version uint64
	err := conn.QueryRow(ctx, "SELECT toUInt64(sum(newest)) FROM\n\t(SELECT max(sequence) AS newest FROM "+
		t.Database+"."+t.State+" GROUP BY repository_id)").Scan(&version)
	return version, err
}
