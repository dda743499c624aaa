package packages

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/projections/internal/staged"
)

// currentColumns are the columns of packages_current; the promotion
// selects them from packages_pending by name, but for deleted.
const currentColumns = `repository_id, key, sequence, deleted, repository, family, distribution, release, component,
	architecture, snapshot_time, project, checksum, name, version, package_architecture, kind, source_name,
	source_version, maintainer_name, maintainer_email, uploaders, homepage, vcs_kinds, vcs_urls, section,
	priority, summary, installed_size, size, filename, sha256, multi_arch, essential, tags, binaries, depends,
	pre_depends, recommends, suggests, enhances, provides, conflicts, breaks, replaces, build_depends`

const promoteCurrent = `INSERT INTO %[1]s.packages_current (` + currentColumns + `)
SELECT repository_id, key, sequence, toUInt8(event = 'disappeared'), repository, family, distribution, release, component,
	architecture, snapshot_time, project, checksum, name, version, package_architecture, kind, source_name,
	source_version, maintainer_name, maintainer_email, uploaders, homepage, vcs_kinds, vcs_urls, section,
	priority, summary, installed_size, size, filename, sha256, multi_arch, essential, tags, binaries, depends,
	pre_depends, recommends, suggests, enhances, provides, conflicts, breaks, replaces, build_depends
FROM %[1]s.packages_pending
WHERE repository_id = ? AND sequence = ?`

const promoteHistory = `INSERT INTO %[1]s.package_history_current (repository_id, sequence, key, event, repository, family,
	distribution, release, component, architecture, snapshot_time, project, old_version, new_version, old_checksum, new_checksum)
SELECT repository_id, sequence, key, event, repository, family,
	distribution, release, component, architecture, snapshot_time, project, previous_version, version, previous_checksum,
	if(event = 'disappeared', toUInt64(0), checksum)
FROM %[1]s.packages_pending
WHERE repository_id = ? AND sequence = ?`

// oneBlock are the settings that keep an INSERT … SELECT of a whole
// snapshot a single block, hence a single part that becomes visible at
// once: squash everything the SELECT yields (the thresholds are never
// reached). Integers, as 18.16's protocol needs.
var oneBlock = clickhouse.Settings{
	"max_insert_block_size":       1 << 40,
	"min_insert_block_size_rows":  1 << 40,
	"min_insert_block_size_bytes": 1 << 40,
}

// promote makes snapshot s visible: its staged rows are copied into
// packages_current and package_history_current, one block each, and the
// pending partitions of s and of the snapshots aborted before it are
// dropped.
func (p *Projection) promote(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	repo := s.Repository.ID()
	qctx := clickhouse.Context(ctx, clickhouse.WithSettings(oneBlock))
	for _, q := range []struct{ what, sql string }{{"packages", promoteCurrent}, {"history", promoteHistory}} {
		if err := conn.Exec(qctx, fmt.Sprintf(q.sql, p.database), repo, s.Sequence); err != nil {
			return fmt.Errorf("promoting %s of snapshot %d of %s: %w", q.what, s.Sequence, repo, err)
		}
	}
	return p.dropPending(ctx, conn, s)
}

// dropPending drops the pending partitions of s and of the snapshots
// aborted between it and the one it was diffed against (see
// staged.Tables.DropPending).
func (p *Projection) dropPending(ctx context.Context, conn driver.Conn, s consumers.Snapshot) error {
	return staged.Tables{Database: p.database, Pending: "packages_pending"}.DropPending(ctx, conn, s)
}
