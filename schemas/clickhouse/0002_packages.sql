-- The packages projection (projections/packages): every package of every
-- repository as of its last committed snapshot, and every change.
--
-- Query surface: the views packages and package_history. They need no
-- FINAL and no engine knowledge; the tables behind them are internal.
-- Column by column documentation: projections/packages/README.md.
--
-- How it stays consistent: package events are staged in packages_pending,
-- partitioned by (repository_id, sequence). When a snapshot's commit marker
-- has been recorded for every partition (snapshot_markers), one
-- INSERT … SELECT per table copies the snapshot's staged rows into
-- packages_current and package_history_current as a single block (one
-- part, visible at once), and the snapshot's pending partition is dropped.
-- A reader therefore sees a repository either at its previous committed
-- snapshot or at the next one, never half of one; an aborted snapshot
-- (no commit marker on some partition) is never copied.

-- packages_pending: staged package events of snapshots not yet promoted.
-- Internal. Duplicates (retried produce, re-delivery) are harmless: they
-- are identical rows of the same version.
CREATE TABLE IF NOT EXISTS {{db}}.packages_pending
(
    repository_id String,        -- repository id: family/distribution/release/component/architecture
    sequence UInt64,             -- snapshot sequence
    key String,                  -- package key within the repository
    event Enum8('appeared' = 1, 'changed' = 2, 'disappeared' = 3),
    repository String,           -- configured repository name
    family String,
    distribution String,
    release String,
    component String,
    architecture String,         -- of the repository
    snapshot_time DateTime,
    project String,
    checksum UInt64,             -- new checksum (last one for disappeared)
    previous_version String,     -- before a change or disappearance
    previous_checksum UInt64,
    name String,                 -- package fields below: empty for disappeared
    version String,
    package_architecture String,
    kind String,
    source_name String,
    source_version String,
    maintainer_name String,
    maintainer_email String,
    uploaders Array(String),
    homepage String,
    vcs_kinds Array(String),
    vcs_urls Array(String),
    section String,
    priority String,
    summary String,
    installed_size UInt64,
    size UInt64,
    filename String,
    sha256 String,
    multi_arch String,
    essential UInt8,
    tags Array(String),
    binaries Array(String),
    depends String,
    pre_depends String,
    recommends String,
    suggests String,
    enhances String,
    provides String,
    conflicts String,
    breaks String,
    replaces String,
    build_depends String
)
ENGINE = MergeTree
PARTITION BY (repository_id, sequence)
ORDER BY (repository_id, sequence, key);

-- packages_current: the newest row of every package key ever seen, its
-- version being the snapshot sequence that wrote it; a disappeared package
-- is a row with deleted = 1. Internal: read the packages view.
CREATE TABLE IF NOT EXISTS {{db}}.packages_current
(
    repository_id String,
    key String,
    sequence UInt64,             -- snapshot that wrote the row: the ReplacingMergeTree version
    deleted UInt8,               -- 1: the package disappeared in that snapshot
    repository LowCardinality(String),
    family LowCardinality(String),
    distribution LowCardinality(String),
    release LowCardinality(String),
    component LowCardinality(String),
    architecture LowCardinality(String),
    snapshot_time DateTime,
    project String,
    checksum UInt64,
    name String,
    version String,
    package_architecture LowCardinality(String),
    kind LowCardinality(String),
    source_name String,
    source_version String,
    maintainer_name LowCardinality(String),
    maintainer_email LowCardinality(String),
    uploaders Array(String),
    homepage String,
    vcs_kinds Array(String),
    vcs_urls Array(String),
    section LowCardinality(String),
    priority LowCardinality(String),
    summary String,
    installed_size UInt64,
    size UInt64,
    filename String,
    sha256 String,
    multi_arch LowCardinality(String),
    essential UInt8,
    tags Array(String),
    binaries Array(String),
    depends String,
    pre_depends String,
    recommends String,
    suggests String,
    enhances String,
    provides String,
    conflicts String,
    breaks String,
    replaces String,
    build_depends String
)
ENGINE = ReplacingMergeTree(sequence)
ORDER BY (repository_id, key);

-- package_history_current: one row per package event of a committed
-- snapshot. Internal: read the package_history view. Partitioned by month
-- of the snapshot, so old history can be dropped; a snapshot's rows share
-- one snapshot_time and so land in one part.
CREATE TABLE IF NOT EXISTS {{db}}.package_history_current
(
    repository_id String,
    sequence UInt64,
    key String,
    event Enum8('appeared' = 1, 'changed' = 2, 'disappeared' = 3),
    repository LowCardinality(String),
    family LowCardinality(String),
    distribution LowCardinality(String),
    release LowCardinality(String),
    component LowCardinality(String),
    architecture LowCardinality(String),
    snapshot_time DateTime,
    project String,
    old_version String,
    new_version String,
    old_checksum UInt64,
    new_checksum UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(snapshot_time)
ORDER BY (repository_id, sequence, key);

-- packages: every package present in its repository's last committed
-- snapshot, one row per (repository_id, key).
CREATE VIEW IF NOT EXISTS {{db}}.packages AS
SELECT
    repository,                  -- configured repository name, e.g. debian-bookworm-main
    repository_id,               -- family/distribution/release/component/architecture
    family,                      -- debian, ubuntu, alpine, …
    distribution,                -- debian, ubuntu, …
    release,                     -- bookworm, trixie, 3.17, …
    component,                   -- main, contrib, community, …
    architecture,                -- the repository's architecture: amd64, source, …
    key,                         -- package key: name/architecture, name/source, plus @version for older duplicates
    project,                     -- cross-repository grouping (Debian: source name, lower-cased)
    name,                        -- package name
    version,                     -- package version as the index states it
    package_architecture,        -- the package's own architecture: amd64, all, source, …
    kind,                        -- binary or source
    source_name,                 -- source package name (a source package: its own name)
    source_version,              -- source package version
    maintainer_name,             -- Maintainer, name part
    maintainer_email,            -- Maintainer, e-mail part, as written
    uploaders,                   -- Uploaders as "Name <email>" each
    homepage,                    -- Homepage URL, or empty
    vcs_kinds,                   -- kinds of vcs_urls: vcs-git, vcs-browser, vcs-svn, …
    vcs_urls,                    -- version control URLs, parallel to vcs_kinds
    section,                     -- archive section, e.g. libs
    priority,                    -- required, important, optional, …
    summary,                     -- first line of the description
    installed_size,              -- KiB, as Debian states it
    size,                        -- bytes of the package file
    filename,                    -- package file (source: directory) in the archive
    sha256,                      -- of the package file, hex, as the index states it
    multi_arch,                  -- same, foreign, allowed, or empty
    essential,                   -- 1 if Essential: yes
    tags,                        -- debtags
    binaries,                    -- source packages: the binary packages built
    depends,                     -- relationship fields as written in the index
    pre_depends,
    recommends,
    suggests,
    enhances,
    provides,
    conflicts,
    breaks,
    replaces,
    build_depends,               -- Build-Depends and Build-Depends-Indep (source packages)
    checksum,                    -- the package's checksum (xxhash64, seeded) as UInt64
    sequence,                    -- snapshot in which the package last appeared or changed
    snapshot_time                -- when that snapshot was taken (UTC)
FROM {{db}}.packages_current FINAL
WHERE deleted = 0;

-- package_history: every package event of every committed snapshot.
CREATE VIEW IF NOT EXISTS {{db}}.package_history AS
SELECT
    repository,                  -- configured repository name
    repository_id,               -- family/distribution/release/component/architecture
    family,
    distribution,
    release,
    component,
    architecture,                -- the repository's architecture
    key,                         -- package key
    project,                     -- cross-repository grouping
    sequence,                    -- snapshot sequence of the event
    snapshot_time,               -- when the snapshot was taken (UTC)
    event,                       -- appeared, changed or disappeared
    old_version,                 -- before the event (empty for appeared)
    new_version,                 -- after the event (empty for disappeared)
    old_checksum,                -- before the event (0 for appeared)
    new_checksum                 -- after the event (0 for disappeared)
FROM {{db}}.package_history_current FINAL;
