-- verify_runs: what `repodelta verify` finished, so that a run interrupted
-- on large data resumes where it stopped (`verify --resume`, or a rerun
-- with the same --run-id) instead of starting over. One row per run, check
-- and repository (repository '' for the tables without one), all rows of
-- a check written in one block once the check is finished; a check with
-- no row for a run has to be done (again). Written by internal/verify only.
CREATE TABLE IF NOT EXISTS {{db}}.verify_runs
(
    run_id String,               -- the run: given with --run-id, or generated (UTC time of the start)
    check_name String,           -- the check: the table as users know it (packages, projects, …)
    repository String,           -- repository id the figures are about ('' when the table has none)
    want_rows UInt64,            -- rows of the recomputation
    want_checksum UInt64,        -- sum modulo 2^64 of the recomputed rows' content checksums (xxhash64)
    got_rows UInt64,             -- rows of the delta-maintained table
    got_checksum UInt64,         -- likewise for the stored rows
    differences UInt64,          -- rows that differ (missing, extra or other content)
    finished DateTime            -- when the check finished (UTC)
)
ENGINE = ReplacingMergeTree(finished)
ORDER BY (run_id, check_name, repository);
