package projects

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
)

// promote applies snapshot s to the projection's state (projects_state,
// projects_maintainers), and recomputes and writes
// the surface rows of the projects it touched, and of their repositories.
func (p *Projection) promote(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	d, err := p.prepare(ctx, conn, s)
	if err != nil {
		return err
	}
	return p.write(ctx, conn, s, d)
}

// prepare computes every row the promotion of s writes, its state
// included, and writes nothing: it reads the touched projects' packages
// as they were before s (whether or not a crashed promotion of s wrote
// some of its state), applies s to them, and reads the rows whose content
// carries on.
func (p *Projection) prepare(ctx context.Context, conn driver.Conn, s consumers.Snapshot) (*delta, error) {
	changes, priors, err := p.readChanges(ctx, conn, s)
	if err != nil {
		return nil, err
	}
	moved := movedFrom(changes, priors)
	projects := touched(changes, moved)
	var (
		m   maintainers
		e   earlier
		was map[string][]pkg
	)
	err = parallel(ctx, func(ctx context.Context) (err error) {
		m, err = p.countMaintainers(ctx, conn, s, maintainerChanges(changes, priors))
		return err
	}, func(ctx context.Context) (err error) {
		was, err = p.readMembers(ctx, conn, s, projects)
		return err
	}, func(ctx context.Context) (err error) {
		e, err = p.readEarlier(ctx, conn, s, projects)
		return err
	})
	if err != nil {
		return nil, err
	}
	d := compute(s, projects, was, applyChanges(was, s, changes, moved), e, m)
	d.statuses = append(d.statuses, departed(s, changes, moved)...)
	d.changes, d.moved = changes, moved
	return d, nil
}

// touched returns the projects a snapshot changed: those of its events,
// and those that packages moved out of. Sorted.
func touched(changes []change, moved map[string]string) []string {
	set := map[string]bool{}
	for _, c := range changes {
		set[c.project] = true
	}
	for _, project := range moved {
		set[project] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// departed returns deleted status rows for the packages that left a
// project: those that disappeared, and those that moved to another one.
func departed(s consumers.Snapshot, changes []change, moved map[string]string) []statusRow {
	var out []statusRow
	gone := func(project, key string) {
		out = append(out, statusRow{pkg: pkg{project: project, repositoryID: s.Repository.ID(), key: key,
			repository: s.Repository.Name, family: s.Repository.Family}, deleted: true})
	}
	for _, c := range changes {
		if c.gone() {
			gone(c.project, c.key)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(moved)) {
		gone(moved[key], key)
	}
	return out
}

// dropPending drops the staged partitions of s and of every snapshot
// between the one s was diffed against and s: those were aborted, so their
// rows can never be promoted. Snapshots at or before s's previous one are
// left alone: one may be complete and promoted by a slower process.
// Dropping a partition that does not exist does nothing.
func (p *Projection) dropPending(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	repo := s.Repository.ID()
	seqs := []uint64{s.Sequence}
	if s.PreviousSequence+1 < s.Sequence {
		var err error
		if seqs, err = p.pendingSequences(ctx, conn, repo, s.PreviousSequence, s.Sequence); err != nil {
			return err
		}
	}
	for _, seq := range seqs {
		if err := conn.Exec(ctx, "ALTER TABLE "+p.database+".projects_pending DROP PARTITION (?, ?)", repo, seq); err != nil {
			return fmt.Errorf("dropping staged rows of snapshot %d of %s: %w", seq, repo, err)
		}
	}
	return nil
}

// pendingSequences lists the snapshots of repo in (after, upTo] that have
// staged rows.
func (p *Projection) pendingSequences(ctx context.Context, conn driver.Conn, repo string, after, upTo uint64) ([]uint64, error) {
	var seqs []uint64
	err := p.queryRows(ctx, conn, "SELECT DISTINCT sequence FROM "+p.database+".projects_pending"+
		" WHERE repository_id = ? AND sequence > ? AND sequence <= ?", []any{repo, after, upTo},
		func(rows driver.Rows) error {
			var seq uint64
			err := rows.Scan(&seq)
			seqs = append(seqs, seq)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("listing staged snapshots of %s: %w", repo, err)
	}
	return seqs, nil
}
