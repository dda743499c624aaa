-- The projects projection (projections/projects): projects, the status of
-- every package within its project across repositories, per-repository
-- and global statistics, and the history of each project's versions.
--
-- Query surface: the views projects, project_repositories,
-- package_statuses, repositories, statistics, statistics_history and
-- project_history. They need no FINAL and no engine knowledge; the tables
-- behind them are internal. Column by column documentation, and the status
-- rules: projections/projects/README.md.
--
-- How it stays consistent: package events are staged in projects_pending,
-- partitioned by (repository_id, sequence), as the packages projection
-- does. When a snapshot's commit marker has been recorded for every
-- partition (snapshot_markers, projector 'projects'), its events are
-- applied to the projection's own state (projects_state,
-- projects_maintainers), the projects the snapshot touched are
-- recomputed, and each surface table receives one INSERT (one block, one
-- part, visible at once) holding the rows of those projects and of the
-- repositories they touch. Every surface row carries a generation: the sum
-- over repositories of their last promoted snapshot sequence
-- (repositories_current.last_sequence), which grows with every promotion;
-- the tables are ReplacingMergeTree(generation), so the newest computation
-- wins and a retried promotion converges. Projections never read each
-- other's tables: everything here is derived from the events.

-- projects_pending: staged package events of snapshots not yet promoted.
-- Internal. Duplicates (a retried produce, a re-delivery) are identical rows.
CREATE TABLE IF NOT EXISTS {{db}}.projects_pending
(
    repository_id String,        -- repository id: family/distribution/release/component/architecture
    sequence UInt64,             -- snapshot sequence
    key String,                  -- package key within the repository
    event Enum8('appeared' = 1, 'changed' = 2, 'disappeared' = 3),
    project String,              -- the package's project (disappeared: its last project)
    name String,                 -- package name (empty for disappeared)
    version String,              -- package version as the index states it (empty for disappeared)
    maintainer String            -- lower-cased maintainer e-mail, else the maintainer's name (empty for disappeared)
)
ENGINE = MergeTree
PARTITION BY (repository_id, sequence)
ORDER BY (repository_id, sequence, key);

-- projects_state: the projection's own copy of every package it needs to
-- compute statuses — project, version, maintainer — as of each
-- repository's last promoted snapshot, ordered by project so that the
-- projects of a snapshot are read back by primary key. A package that
-- disappeared, or moved to another project, is a row with deleted = 1
-- under its old project. Internal.
CREATE TABLE IF NOT EXISTS {{db}}.projects_state
(
    project String,
    repository_id String,
    key String,
    sequence UInt64,             -- snapshot that wrote the row: the ReplacingMergeTree version
    deleted UInt8,               -- 1: the package left the project in that snapshot
    repository String,
    family String,
    name String,
    version String,
    maintainer String
)
ENGINE = ReplacingMergeTree(sequence)
ORDER BY (project, repository_id, key)
SETTINGS index_granularity = 1024;

-- projects_maintainers: how many packages of a repository each maintainer
-- has (lower-cased e-mail, else name), one row per promoted snapshot that
-- changed the count; the row of the newest snapshot counts. The
-- maintainer counts of repositories and statistics are kept from it.
-- Internal.
CREATE TABLE IF NOT EXISTS {{db}}.projects_maintainers
(
    repository_id String,
    maintainer String,
    sequence UInt64,             -- snapshot that changed the count
    packages UInt64              -- the repository's packages with that maintainer after it
)
ENGINE = ReplacingMergeTree
ORDER BY (repository_id, maintainer, sequence);

-- package_statuses_current: the status of every package within its
-- project, rewritten for every package of the projects a snapshot touches.
-- Internal: read the package_statuses view.
CREATE TABLE IF NOT EXISTS {{db}}.package_statuses_current
(
    project String,
    repository_id String,
    key String,
    generation UInt64,           -- the ReplacingMergeTree version
    deleted UInt8,               -- 1: the package left the project
    repository LowCardinality(String),
    family LowCardinality(String),
    name String,
    version String,
    normalized_version String,
    status Enum8('newest' = 1, 'outdated' = 2, 'legacy' = 3, 'devel' = 4, 'unique' = 5, 'ignored' = 6)
)
ENGINE = ReplacingMergeTree(generation)
ORDER BY (project, repository_id, key);

-- project_repositories_current: one row per project and repository having
-- it. Internal: read the project_repositories view.
CREATE TABLE IF NOT EXISTS {{db}}.project_repositories_current
(
    project String,
    repository_id String,
    generation UInt64,
    deleted UInt8,               -- 1: the repository no longer has the project
    repository LowCardinality(String),
    family LowCardinality(String),
    num_packages UInt64,
    num_newest UInt64,
    num_outdated UInt64,
    num_legacy UInt64,
    num_devel UInt64,
    num_unique UInt64,
    num_ignored UInt64,
    best_version String,
    maintainers Array(String)
)
ENGINE = ReplacingMergeTree(generation)
ORDER BY (project, repository_id);

-- projects_current: one row per project. Internal: read the projects view.
CREATE TABLE IF NOT EXISTS {{db}}.projects_current
(
    project String,
    generation UInt64,
    deleted UInt8,               -- 1: no repository has the project any more
    num_repos UInt64,
    num_families UInt64,
    num_packages UInt64,
    newest_version String,
    devel_version String,
    repositories Array(String),
    maintainers Array(String),
    num_newest UInt64,
    num_outdated UInt64,
    num_legacy UInt64,
    num_devel UInt64,
    num_unique UInt64,
    num_ignored UInt64,
    first_seen DateTime,
    last_changed DateTime
)
ENGINE = ReplacingMergeTree(generation)
ORDER BY project;

-- repositories_current: one row per repository. Internal: read the
-- repositories view.
CREATE TABLE IF NOT EXISTS {{db}}.repositories_current
(
    repository_id String,
    generation UInt64,
    repository LowCardinality(String),
    family LowCardinality(String),
    num_packages UInt64,
    num_projects UInt64,
    num_newest UInt64,
    num_outdated UInt64,
    num_legacy UInt64,
    num_devel UInt64,
    num_unique UInt64,
    num_ignored UInt64,
    num_outdated_projects UInt64,
    num_maintainers UInt64,
    last_sequence UInt64,
    last_snapshot_time DateTime
)
ENGINE = ReplacingMergeTree(generation)
ORDER BY repository_id;

-- statistics_current: the global totals, one row (key 0). Internal: read
-- the statistics view.
CREATE TABLE IF NOT EXISTS {{db}}.statistics_current
(
    key UInt8,
    generation UInt64,
    num_repositories UInt64,
    num_families UInt64,
    num_projects UInt64,
    num_packages UInt64,
    num_maintainers UInt64,
    num_outdated_projects UInt64,
    num_unique_projects UInt64,
    num_newest UInt64,
    num_outdated UInt64,
    num_legacy UInt64,
    num_devel UInt64,
    num_unique UInt64,
    num_ignored UInt64,
    last_snapshot_time DateTime
)
ENGINE = ReplacingMergeTree(generation)
ORDER BY key;

-- statistics_history_current: one row per repository per promoted
-- snapshot. Internal: read the statistics_history view.
CREATE TABLE IF NOT EXISTS {{db}}.statistics_history_current
(
    repository_id String,
    sequence UInt64,
    generation UInt64,
    repository LowCardinality(String),
    family LowCardinality(String),
    snapshot_time DateTime,
    num_packages UInt64,
    num_projects UInt64,
    num_newest UInt64,
    num_outdated UInt64,
    num_legacy UInt64,
    num_devel UInt64,
    num_unique UInt64,
    num_ignored UInt64,
    num_outdated_projects UInt64,
    num_maintainers UInt64,
    appeared UInt64,
    changed UInt64,
    disappeared UInt64
)
ENGINE = ReplacingMergeTree(generation)
PARTITION BY toYYYYMM(snapshot_time)
ORDER BY (repository_id, sequence);

-- project_history_current: what each promoted snapshot changed in the
-- projects it touched. Internal: read the project_history view.
CREATE TABLE IF NOT EXISTS {{db}}.project_history_current
(
    project String,
    snapshot_repository_id String,
    sequence UInt64,
    repository_id String,
    event Enum8('newest_changed' = 1, 'added' = 2, 'removed' = 3, 'caught_up' = 4, 'fell_behind' = 5),
    snapshot_repository LowCardinality(String),
    repository LowCardinality(String),
    snapshot_time DateTime,
    old_version String,
    new_version String
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(snapshot_time)
ORDER BY (project, snapshot_repository_id, sequence, repository_id, event);

-- projects: one row per project that some repository has.
CREATE VIEW IF NOT EXISTS {{db}}.projects AS
SELECT
    project,                     -- the project: Debian source package name, lower-cased
    num_repos,                   -- repositories having at least one of its packages
    num_families,                -- distinct families of those repositories
    num_packages,                -- its packages across all repositories
    newest_version,              -- newest normalised version, devel and ignored versions left out ('' if none)
    devel_version,               -- highest devel version ('' if none)
    repositories,                -- configured names of the repositories having it, sorted
    maintainers,                 -- distinct maintainers of its packages (lower-cased e-mail, else name), sorted
    num_newest,                  -- its packages per status, across repositories
    num_outdated,
    num_legacy,
    num_devel,
    num_unique,
    num_ignored,
    first_seen,                  -- snapshot_time of the snapshot in which it first appeared (UTC)
    last_changed                 -- snapshot_time of the last snapshot that changed one of its packages (UTC)
FROM {{db}}.projects_current FINAL
WHERE deleted = 0;

-- project_repositories: one row per project and repository having it.
CREATE VIEW IF NOT EXISTS {{db}}.project_repositories AS
SELECT
    project,                     -- the project
    repository,                  -- configured repository name
    repository_id,               -- family/distribution/release/component/architecture
    family,                      -- repository family
    num_packages,                -- the project's packages in the repository
    num_newest,                  -- of those, per status
    num_outdated,
    num_legacy,
    num_devel,
    num_unique,
    num_ignored,
    best_version,                -- highest normalised version of those packages, ignored ones left out ('' if none)
    maintainers                  -- distinct maintainers of those packages, sorted
FROM {{db}}.project_repositories_current FINAL
WHERE deleted = 0;

-- package_statuses: every package's status within its project.
CREATE VIEW IF NOT EXISTS {{db}}.package_statuses AS
SELECT
    project,                     -- the package's project
    repository,                  -- configured repository name
    repository_id,               -- family/distribution/release/component/architecture
    family,                      -- repository family
    key,                         -- package key within the repository
    name,                        -- package name
    version,                     -- version as the index states it
    normalized_version,          -- versions.Normalize(family, version): what is compared
    status                       -- newest, outdated, legacy, devel, unique or ignored
FROM {{db}}.package_statuses_current FINAL
WHERE deleted = 0;

-- repositories: one row per repository the projection has seen.
CREATE VIEW IF NOT EXISTS {{db}}.repositories AS
SELECT
    repository,                  -- configured repository name
    repository_id,               -- family/distribution/release/component/architecture
    family,                      -- repository family
    num_packages,                -- packages in its last promoted snapshot
    num_projects,                -- distinct projects of those packages
    num_newest,                  -- its packages per status
    num_outdated,
    num_legacy,
    num_devel,
    num_unique,
    num_ignored,
    num_outdated_projects,       -- projects of which it has an outdated package
    num_maintainers,             -- distinct maintainers of its packages (lower-cased e-mail, else name)
    last_sequence,               -- its last promoted snapshot
    last_snapshot_time           -- when that snapshot was taken (UTC)
FROM {{db}}.repositories_current FINAL;

-- statistics: the global totals, one row (none before the first snapshot).
CREATE VIEW IF NOT EXISTS {{db}}.statistics AS
SELECT
    num_repositories,            -- repositories seen
    num_families,                -- distinct families of those
    num_projects,                -- projects some repository has
    num_packages,                -- packages of all repositories
    num_maintainers,             -- distinct maintainers over all repositories
    num_outdated_projects,       -- projects with at least one outdated package
    num_unique_projects,         -- projects found in one family only
    num_newest,                  -- packages per status, over all repositories
    num_outdated,
    num_legacy,
    num_devel,
    num_unique,
    num_ignored,
    last_snapshot_time           -- the newest last_snapshot_time of the repositories (UTC)
FROM {{db}}.statistics_current FINAL;

-- statistics_history: one row per repository per promoted snapshot: the
-- repository's statistics right after the snapshot, for dashboards.
CREATE VIEW IF NOT EXISTS {{db}}.statistics_history AS
SELECT
    snapshot_time,               -- when the snapshot was taken (UTC): the time axis
    repository,                  -- configured repository name
    repository_id,               -- family/distribution/release/component/architecture
    family,                      -- repository family
    sequence,                    -- the snapshot
    num_packages,                -- as in repositories, right after the snapshot was promoted
    num_projects,
    num_newest,
    num_outdated,
    num_legacy,
    num_devel,
    num_unique,
    num_ignored,
    num_outdated_projects,
    num_maintainers,
    appeared,                    -- package events of the snapshot, from its commit marker
    changed,
    disappeared
FROM {{db}}.statistics_history_current FINAL;

-- project_history: per project, what promoted snapshots changed.
CREATE VIEW IF NOT EXISTS {{db}}.project_history AS
SELECT
    project,                     -- the project
    event,                       -- newest_changed, added, removed, caught_up or fell_behind
    repository,                  -- the repository the row is about (newest_changed: the snapshot's)
    repository_id,
    old_version,                 -- before: the newest version, or the repository's best version
    new_version,                 -- after, likewise ('' when gone)
    snapshot_repository,         -- the repository whose snapshot caused it
    snapshot_repository_id,
    sequence,                    -- that snapshot's sequence
    snapshot_time                -- when that snapshot was taken (UTC)
FROM {{db}}.project_history_current FINAL;
