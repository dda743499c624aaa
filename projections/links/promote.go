package links

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// oneBlock keeps an INSERT … SELECT a single block, hence a single part
// that becomes visible at once: squash everything the SELECT yields (the
// thresholds are never reached). Integers, as 18.16's protocol needs.
var oneBlock = clickhouse.Settings{
	"max_insert_block_size":       1 << 40,
	"min_insert_block_size_rows":  1 << 40,
	"min_insert_block_size_bytes": 1 << 40,
}

// promoteStaged copies s's staged rows into the state, as one block: a
// reader of the state sees all of s or none of it. Rows already there (a
// repeated promotion) are identical.
const promoteStaged = `INSERT INTO %[1]s.link_packages (repository_id, key, sequence, deleted, project, link_ids, kinds)
SELECT repository_id, key, sequence, deleted, project, link_ids, kinds
FROM %[1]s.links_pending
WHERE repository_id = ? AND sequence = ?`

// promote makes snapshot s visible: it promotes s into the state,
// recounts the links whose packages s changed, and drops the pending
// partitions s makes useless.
func (p *Projection) promote(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	if err := p.promoteState(ctx, conn, s); err != nil {
		return err
	}
	touched, err := p.touched(ctx, conn, s)
	if err != nil {
		return err
	}
	if err := p.recount(ctx, conn, s, touched); err != nil {
		return err
	}
	return p.dropPending(ctx, conn, s)
}

// promoteState adds s's staged rows to the state.
func (p *Projection) promoteState(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	qctx := clickhouse.Context(ctx, clickhouse.WithSettings(oneBlock))
	if err := conn.Exec(qctx, fmt.Sprintf(promoteStaged, p.database), s.Repository.ID(), s.Sequence); err != nil {
		return fmt.Errorf("promoting snapshot %d of %s: %w", s.Sequence, s.Repository.ID(), err)
	}
	return nil
}

// dropPending drops the pending partitions of s and of every snapshot
// between the one s was diffed against and s: those were aborted, so
// their rows can never be promoted. Older snapshots are left alone: one
// may be complete and promoted by a slower process right now.
func (p *Projection) dropPending(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	repo := s.Repository.ID()
	seqs, err := p.pendingSequences(ctx, conn, repo, s.PreviousSequence, s.Sequence)
	if err != nil {
		return err
	}
	for _, seq := range seqs {
		err := conn.Exec(ctx, "ALTER TABLE "+p.database+".links_pending DROP PARTITION (?, ?)", repo, seq)
		if err != nil {
			return fmt.Errorf("dropping staged rows of snapshot %d of %s: %w", seq, repo, err)
		}
	}
	return nil
}

// pendingSequences lists the snapshots of repo in (after, upTo] that have
// staged rows.
func (p *Projection) pendingSequences(ctx context.Context, conn driver.Conn, repo string, after, upTo uint64) ([]uint64, error) {
	rows, err := conn.Query(ctx, "SELECT DISTINCT sequence FROM "+p.database+".links_pending"+
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
