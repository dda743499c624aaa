package consumers

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/events"
)

// Snapshot is a repository snapshot as its commit marker describes it.
type Snapshot struct {
	Repository       events.Repository
	Sequence         uint64
	PreviousSequence uint64 // the committed snapshot it was diffed against
	Time             time.Time
	Partitions       int32 // copies of the commit marker, one per partition
	Counts           events.Counts
	// At is the offset of the commit marker's copy on partition 0: the
	// order of snapshots in the log, the same in every replay. Snapshots
	// are promoted in this order, so what a promotion writes (history rows,
	// the versions of aggregates spanning repositories) does not depend on
	// where batches happened to end.
	At int64
}

// CompareLogOrder orders snapshots as their commits stand in the log
// (Snapshot.At), then by repository and sequence.
func CompareLogOrder(a, b Snapshot) int {
	return cmp.Or(cmp.Compare(a.At, b.At), cmp.Compare(a.Repository.ID(), b.Repository.ID()), cmp.Compare(a.Sequence, b.Sequence))
}

// Ledger keeps one projector's snapshot bookkeeping in the shared tables
// snapshot_markers and watermarks (migration 0001), so that a projection
// can tell when a snapshot is complete and readers can tell which snapshot
// a projection shows. Its rows are keyed by the projector's name; it holds
// no state of its own, so several processes of one projector can use it at
// once. Safe for concurrent use.
//
// The protocol, for a projection that stages rows and promotes snapshots:
//
//  1. stage the rows of every package event of the batch;
//  2. Record the batch: the commit markers are written, and the snapshots
//     they complete are returned;
//  3. promote each returned snapshot, in the order given;
//  4. Advance the watermarks to it.
//
// Step 1 before step 2 is what makes a recorded marker mean "every event
// before me on my partition is staged": a snapshot whose markers are
// recorded on every partition has all its rows staged, whoever staged them.
// Two processes recording a snapshot's last markers at the same time both
// query after their own insert, so at least one sees it complete (both
// may, and both promote: promotion must be idempotent).
type Ledger struct {
	database  string
	projector string
}

// NewLedger returns the ledger of the projector named projector, whose
// tables are in database.
func NewLedger(database, projector string) *Ledger {
	return &Ledger{database: database, projector: projector}
}

// Record writes the commit markers of batch to snapshot_markers and
// returns the snapshots, among those the batch has commit markers of, whose
// marker is now recorded for every partition — by this batch or earlier
// ones, by this process or another. They come in log order
// (CompareLogOrder). Record is idempotent.
func (l *Ledger) Record(ctx context.Context, conn driver.Conn, batch []Event) ([]Snapshot, error) {
	markers := commitMarkers(batch)
	if len(markers) == 0 {
		return nil, nil
	}
	if err := l.insertMarkers(ctx, conn, markers); err != nil {
		return nil, err
	}
	candidates := snapshotsOf(markers)
	complete, err := l.complete(ctx, conn, candidates)
	if err != nil {
		return nil, err
	}
	out := make([]Snapshot, 0, len(complete))
	for k, at := range complete {
		s := candidates[k]
		s.At = at
		out = append(out, s)
	}
	slices.SortFunc(out, CompareLogOrder)
	return out, nil
}

// snapshotKey identifies a snapshot: repository id and sequence.
type snapshotKey struct {
	repository string
	sequence   uint64
}

func commitMarkers(batch []Event) []Event {
	var out []Event
	for _, e := range batch {
		if e.Type == events.SnapshotCommitted && e.Marker != nil {
			out = append(out, e)
		}
	}
	return out
}

func snapshotsOf(markers []Event) map[snapshotKey]Snapshot {
	out := make(map[snapshotKey]Snapshot, len(markers))
	for _, e := range markers {
		out[snapshotKey{e.Repository.ID(), e.Sequence}] = Snapshot{
			Repository:       e.Repository,
			Sequence:         e.Sequence,
			PreviousSequence: e.Marker.PreviousSequence,
			Time:             e.SnapshotTime,
			Partitions:       partitions(e.Marker),
			Counts:           e.Marker.Counts,
		}
	}
	return out
}

// partitions is the number of copies of a marker; a producer that wrote
// one copy may leave it zero.
func partitions(m *events.Marker) int32 { return max(m.Partitions, 1) }

func (l *Ledger) insertMarkers(ctx context.Context, conn driver.Conn, markers []Event) error {
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO "+l.database+".snapshot_markers "+
		"(projector, repository, sequence, partition, partitions, previous_sequence, snapshot_time, offset, recorded)")
	if err != nil {
		return fmt.Errorf("recording snapshot markers of %s: %w", l.projector, err)
	}
	defer func() { _ = batch.Close() }()
	now := time.Now().UTC()
	for _, e := range markers {
		err := batch.Append(l.projector, e.Repository.ID(), e.Sequence, e.Marker.Partition, partitions(e.Marker),
			e.Marker.PreviousSequence, e.SnapshotTime.UTC(), e.Offset, now)
		if err != nil {
			return fmt.Errorf("recording snapshot marker %s of %s: %w", e.ID(), l.projector, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("recording snapshot markers of %s: %w", l.projector, err)
	}
	return nil
}

// complete returns which of candidates have a recorded commit marker for
// every partition, with the offset of their partition 0 copy.
func (l *Ledger) complete(ctx context.Context, conn driver.Conn, candidates map[snapshotKey]Snapshot) (map[snapshotKey]int64, error) {
	repos := make([]string, 0, len(candidates))
	lowest := uint64(0)
	for k := range candidates {
		if !slices.Contains(repos, k.repository) {
			repos = append(repos, k.repository)
		}
		if lowest == 0 || k.sequence < lowest {
			lowest = k.sequence
		}
	}
	rows, err := conn.Query(ctx, "SELECT repository, sequence, toUInt64(uniqExactIf(partition, partition < partitions)) AS seen, toUInt64(max(partitions)) AS want,"+
		" toInt64(minIf(offset, partition = 0)) AS at"+
		" FROM "+l.database+".snapshot_markers"+
		" WHERE projector = ? AND has(?, repository) AND sequence >= ?"+
		" GROUP BY repository, sequence", l.projector, repos, lowest)
	if err != nil {
		return nil, fmt.Errorf("reading snapshot markers of %s: %w", l.projector, err)
	}
	defer rows.Close()
	out := make(map[snapshotKey]int64, len(candidates))
	for rows.Next() {
		var (
			k          snapshotKey
			seen, want uint64
			at         int64
		)
		if err := rows.Scan(&k.repository, &k.sequence, &seen, &want, &at); err != nil {
			return nil, fmt.Errorf("reading snapshot markers of %s: %w", l.projector, err)
		}
		if _, ok := candidates[k]; ok && seen >= want {
			out[k] = at
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading snapshot markers of %s: %w", l.projector, err)
	}
	return out, nil
}

// Advance moves the projector's watermarks of s's repository to s, on
// every partition at once: call it once s is visible. It is idempotent,
// and advancing to an older snapshot than the watermark moves nothing.
func (l *Ledger) Advance(ctx context.Context, conn driver.Conn, s Snapshot) error {
	// INSERT … SELECT: one block, so every partition moves together.
	err := conn.Exec(ctx, "INSERT INTO "+l.database+".watermarks (projector, repository, partition, sequence, offset, updated)"+
		" SELECT projector, repository, partition, sequence, min(offset), now()"+
		" FROM "+l.database+".snapshot_markers"+
		" WHERE projector = ? AND repository = ? AND sequence = ?"+
		" GROUP BY projector, repository, partition, sequence", l.projector, s.Repository.ID(), s.Sequence)
	if err != nil {
		return fmt.Errorf("advancing watermarks of %s on %s to %d: %w", l.projector, s.Repository.ID(), s.Sequence, err)
	}
	return nil
}

// Committed returns the projector's committed sequence per repository id,
// as the projector_watermarks view gives it.
func (l *Ledger) Committed(ctx context.Context, conn driver.Conn) (map[string]uint64, error) {
	rows, err := conn.Query(ctx, "SELECT repository, sequence FROM "+l.database+".projector_watermarks WHERE projector = ?", l.projector)
	if err != nil {
		return nil, fmt.Errorf("reading watermarks of %s: %w", l.projector, err)
	}
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var (
			repo string
			seq  uint64
		)
		if err := rows.Scan(&repo, &seq); err != nil {
			return nil, fmt.Errorf("reading watermarks of %s: %w", l.projector, err)
		}
		out[repo] = seq
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading watermarks of %s: %w", l.projector, err)
	}
	return out, nil
}
