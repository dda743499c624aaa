-- Test migration: several statements, comments, and semicolons that are
-- not statement ends.
CREATE TABLE IF NOT EXISTS {{db}}.packages
(
    repository LowCardinality(String),
    name String,        -- a comment; with a semicolon
    version String DEFAULT 'a;b',
    maintainers Array(String),
    homepage Nullable(String),
    seen_at DateTime,
    seq UInt64
) ENGINE = ReplacingMergeTree(seq)
ORDER BY (repository, name);

/* A block comment;
   spanning lines. */
CREATE VIEW IF NOT EXISTS {{db}}.packages_current AS
SELECT repository, name, version FROM {{db}}.packages FINAL;
