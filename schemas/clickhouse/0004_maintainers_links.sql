-- The maintainers and links projections (projections/maintainers,
-- projections/links): who maintains how many packages, projects and
-- repositories, and which URLs packages point at.
--
-- Query surface: the views maintainers, maintainer_repositories and links.
-- They need no FINAL and no engine knowledge; the tables behind them are
-- internal. Column by column documentation: the README.md of each package.
--
-- Each projection keeps its own state, derived from the events alone (it
-- never reads the packages projection's tables):
--
--   *_pending   the package events of snapshots not yet promoted, reduced
--               to ids, partitioned by (repository_id, sequence), dropped
--               once promoted (the consumers.Ledger protocol);
--   *_packages  the state: per (repository_id, key), one row per promoted
--               snapshot that touched the key. The newest row is the
--               package now; the newest row older than a snapshot is what
--               that snapshot replaced, so the delta of a snapshot can be
--               computed again after a crash, a re-delivery or a replay;
--   *_counts    the aggregates, rewritten only for the maintainers (links)
--               whose packages a promoted snapshot changed, in one INSERT
--               (one block, one part: visible at once);
--   strings     each normalised maintainer, display name and URL stored
--               once, keyed by its id: cityHash64 of the string, which Go
--               computes as ClickHouse does (SELECT cityHash64('…') finds
--               it).
--
-- Versions: the *_counts rows span repositories, so no snapshot sequence
-- orders them. They are versioned by the sum, over repositories, of the
-- newest snapshot sequence in the projection's state table, read after the
-- promotion and before the aggregates: it grows with every promotion that
-- changes the state and with nothing else, so a row computed from a newer
-- state always has a higher or equal version, and a repeated promotion
-- rewrites rows identical in content.

-- maintainer_strings: every normalised maintainer and display name, once.
-- Internal. Rows of one id are identical, so duplicates are harmless.
CREATE TABLE IF NOT EXISTS {{db}}.maintainer_strings
(
    id UInt64,                   -- cityHash64(value)
    value String                 -- a normalised maintainer or a display name
)
ENGINE = ReplacingMergeTree
ORDER BY id;

-- maintainers_pending: staged package events of snapshots not yet
-- promoted. Internal. Duplicates are identical rows, harmless.
CREATE TABLE IF NOT EXISTS {{db}}.maintainers_pending
(
    repository_id String,        -- repository id: family/distribution/release/component/architecture
    sequence UInt64,             -- snapshot sequence
    key String,                  -- package key within the repository
    deleted UInt8,               -- 1: the package disappeared (no ids)
    project String,              -- the package's project
    maintainer_ids Array(UInt64), -- the people of the package: Maintainer first, then Uploaders
    name_ids Array(UInt64),      -- parallel: cityHash64 of the display name each gives (0: none)
    roles Array(UInt8)           -- parallel: 1 Maintainer, 2 Uploader
)
ENGINE = MergeTree
PARTITION BY (repository_id, sequence)
ORDER BY (repository_id, sequence, key);

-- maintainer_packages: the people of every package key, as each promoted
-- snapshot that touched the key left it (deleted = 1: it disappeared). The
-- projection's state: a key's current row is its newest; the older ones
-- say what a snapshot replaced. Internal.
CREATE TABLE IF NOT EXISTS {{db}}.maintainer_packages
(
    repository_id String,        -- repository id
    key String,                  -- package key within the repository
    sequence UInt64,             -- the snapshot that wrote the row
    deleted UInt8,               -- 1: the package disappeared in that snapshot (no ids)
    project String,              -- the package's project
    maintainer_ids Array(UInt64), -- as in maintainers_pending
    name_ids Array(UInt64),      -- as in maintainers_pending
    roles Array(UInt8)           -- as in maintainers_pending
)
ENGINE = ReplacingMergeTree
ORDER BY (repository_id, key, sequence);

-- maintainer_counts: the aggregates of every maintainer ever seen, over
-- all repositories (repository_id = '') and per repository (zero counts
-- once none of their packages is left). Both kinds of row of a snapshot
-- are written in one block, so the two views change together. Internal:
-- read maintainers and maintainer_repositories.
CREATE TABLE IF NOT EXISTS {{db}}.maintainer_counts
(
    maintainer_id UInt64,
    repository_id String,        -- '': over all repositories; else the repository counted
    version UInt64,              -- sum over repositories of the state's newest sequence (see above)
    name_id UInt64,              -- the display name chosen (maintainer_strings); 0 in per-repository rows
    num_packages UInt64,         -- as in the views
    num_projects UInt64,         -- as in the views
    num_repos UInt64,            -- as in maintainers; 0 in per-repository rows
    num_packages_uploader UInt64, -- as in the views
    num_projects_uploader UInt64, -- as in the views
    num_repos_uploader UInt64    -- as in maintainers; 0 in per-repository rows
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (maintainer_id, repository_id);

-- maintainers: every maintainer (or uploader) of a package present in its
-- repository's last committed snapshot, one row per maintainer. Packages
-- are keys in repositories: one package in two repositories counts twice.
CREATE VIEW IF NOT EXISTS {{db}}.maintainers AS
SELECT
    maintainer,                  -- normalised: the e-mail lower-cased, or without one the name with its white space collapsed
    maintainer_id,               -- cityHash64(maintainer)
    name,                        -- display name: the one most of their packages give (ties: smaller cityHash64), else maintainer
    num_packages,                -- packages whose Maintainer they are, over all repositories
    num_projects,                -- distinct projects among those
    num_repos,                   -- distinct repositories among those
    num_packages_uploader,       -- packages listing them in Uploaders
    num_projects_uploader,       -- distinct projects among those
    num_repos_uploader           -- distinct repositories among those
FROM
(
    SELECT maintainer_id, name_id, maintainer, num_packages, num_projects, num_repos,
        num_packages_uploader, num_projects_uploader, num_repos_uploader
    FROM
    (
        SELECT maintainer_id, name_id, num_packages, num_projects, num_repos,
            num_packages_uploader, num_projects_uploader, num_repos_uploader
        FROM {{db}}.maintainer_counts FINAL
        WHERE repository_id = '' AND num_packages + num_packages_uploader > 0
    )
    ANY LEFT JOIN (SELECT id AS maintainer_id, value AS maintainer FROM {{db}}.maintainer_strings) USING (maintainer_id)
)
ANY LEFT JOIN (SELECT id AS name_id, value AS name FROM {{db}}.maintainer_strings) USING (name_id);

-- maintainer_repositories: per maintainer, the repositories holding their
-- packages, one row per (maintainer, repository_id).
CREATE VIEW IF NOT EXISTS {{db}}.maintainer_repositories AS
SELECT
    maintainer,                  -- normalised maintainer, as in maintainers
    maintainer_id,               -- cityHash64(maintainer)
    repository_id,               -- family/distribution/release/component/architecture
    num_packages,                -- packages of the repository whose Maintainer they are
    num_projects,                -- distinct projects among those
    num_packages_uploader,       -- packages of the repository listing them in Uploaders
    num_projects_uploader        -- distinct projects among those
FROM
(
    SELECT maintainer_id, repository_id, num_packages, num_projects, num_packages_uploader, num_projects_uploader
    FROM {{db}}.maintainer_counts FINAL
    WHERE repository_id != '' AND num_packages + num_packages_uploader > 0
)
ANY LEFT JOIN (SELECT id AS maintainer_id, value AS maintainer FROM {{db}}.maintainer_strings) USING (maintainer_id);

-- link_urls: every normalised URL, once. Internal.
CREATE TABLE IF NOT EXISTS {{db}}.link_urls
(
    link_id UInt64,              -- cityHash64(url)
    url String                   -- normalised URL
)
ENGINE = ReplacingMergeTree
ORDER BY link_id;

-- links_pending: staged package events of snapshots not yet promoted.
-- Internal. Duplicates are identical rows, harmless.
CREATE TABLE IF NOT EXISTS {{db}}.links_pending
(
    repository_id String,        -- repository id
    sequence UInt64,             -- snapshot sequence
    key String,                  -- package key within the repository
    deleted UInt8,               -- 1: the package disappeared (no links)
    project String,              -- the package's project
    link_ids Array(UInt64),      -- the package's links (link_urls), each (URL, kind) once
    kinds Array(String)          -- parallel: homepage, vcs-git, vcs-browser, …
)
ENGINE = MergeTree
PARTITION BY (repository_id, sequence)
ORDER BY (repository_id, sequence, key);

-- link_packages: the links of every package key, as each promoted
-- snapshot that touched the key left it (deleted = 1: it disappeared). The
-- projection's state: a key's current row is its newest; the older ones
-- say what a snapshot replaced. Internal.
CREATE TABLE IF NOT EXISTS {{db}}.link_packages
(
    repository_id String,        -- repository id
    key String,                  -- package key within the repository
    sequence UInt64,             -- the snapshot that wrote the row
    deleted UInt8,               -- 1: the package disappeared in that snapshot (no links)
    project String,              -- the package's project
    link_ids Array(UInt64),      -- as in links_pending
    kinds Array(String)          -- as in links_pending
)
ENGINE = ReplacingMergeTree
ORDER BY (repository_id, key, sequence);

-- link_counts: the aggregates of every (URL, kind) ever seen. Internal:
-- read links.
CREATE TABLE IF NOT EXISTS {{db}}.link_counts
(
    link_id UInt64,              -- cityHash64(url)
    kind String,                 -- homepage, vcs-git, …
    version UInt64,              -- sum over repositories of the state's newest sequence (see above)
    num_packages UInt64,         -- as in links
    num_projects UInt64,         -- as in links
    num_repos UInt64,            -- as in links
    orphaned_at DateTime         -- when no package pointed at it any more (0: some package does)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (link_id, kind);

-- links: every URL a package of some repository's last committed snapshot
-- points at, or once pointed at, one row per (url, kind).
CREATE VIEW IF NOT EXISTS {{db}}.links AS
SELECT
    url,                         -- normalised: trimmed, scheme and host lower-cased, the rest as written
    link_id,                     -- cityHash64(url)
    kind,                        -- homepage, vcs-git, vcs-browser, vcs-svn, …
    num_packages,                -- packages pointing at url as kind, over all repositories
    num_projects,                -- distinct projects among those
    num_repos,                   -- distinct repositories among those
    orphaned AS orphaned_at      -- snapshot time after which nothing points at it (UTC); NULL while referenced
FROM
(
    SELECT link_id, kind, num_packages, num_projects, num_repos,
        if(num_packages = 0, toNullable(orphaned_at), NULL) AS orphaned
    FROM {{db}}.link_counts FINAL
)
ANY LEFT JOIN (SELECT link_id, url FROM {{db}}.link_urls) USING (link_id);
