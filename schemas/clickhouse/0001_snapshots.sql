-- Snapshot bookkeeping shared by every projector (package consumers,
-- consumers.Ledger). Rows are keyed by projector name, so projectors never
-- read each other's rows; each can be rebuilt alone.
--
-- A repository snapshot ends with one snapshot.committed marker per Kafka
-- partition. A projector records each copy here after it staged the rows
-- that precede the copy on its partition; once every partition's copy is
-- recorded, the snapshot is complete and the projector promotes it.

-- snapshot_markers: every commit marker copy a projector has recorded.
-- Written before promotion; a complete snapshot has rows for partitions
-- 0 … partitions-1. Duplicates (a retried produce, a re-delivery) collapse.
CREATE TABLE IF NOT EXISTS {{db}}.snapshot_markers
(
    projector String,            -- projector name (its consumer group is "repodelta-" + projector)
    repository String,           -- repository id: family/distribution/release/component/architecture
    sequence UInt64,             -- snapshot sequence, monotonic per repository
    partition Int32,             -- which copy of the marker (events.Marker.Partition)
    partitions Int32,            -- how many copies were written (events.Marker.Partitions, at least 1)
    previous_sequence UInt64,    -- the committed snapshot this one was diffed against (0: none)
    snapshot_time DateTime,      -- when the snapshot was taken (UTC)
    offset Int64,                -- Kafka offset of the copy in its partition
    recorded DateTime            -- when the projector recorded the copy (UTC)
)
ENGINE = ReplacingMergeTree(recorded)
ORDER BY (projector, repository, sequence, partition);

-- watermarks: per projector, repository and partition, the newest snapshot
-- the projector has made visible, with the offset of that snapshot's commit
-- marker in the partition. Written after promotion, for every partition of
-- the snapshot at once (one INSERT … SELECT from snapshot_markers), so an
-- aborted snapshot, whose markers never reached every partition, never
-- appears here. ReplacingMergeTree(sequence) keeps the newest per partition;
-- a late re-promotion of an older snapshot cannot move a watermark back.
CREATE TABLE IF NOT EXISTS {{db}}.watermarks
(
    projector String,            -- projector name
    repository String,           -- repository id
    partition Int32,             -- marker partition
    sequence UInt64,             -- newest snapshot made visible
    offset Int64,                -- Kafka offset of that snapshot's commit marker in the partition
    updated DateTime             -- when the row was written (UTC)
)
ENGINE = ReplacingMergeTree(sequence)
ORDER BY (projector, repository, partition);

-- projector_watermarks: the committed sequence per projector and
-- repository — the snapshot whose rows the projector's query surface
-- shows (at least; the watermark is written just after the rows). It is the
-- minimum over partitions of each partition's newest visible snapshot;
-- since watermarks only ever holds snapshots whose commit marker reached
-- every partition, this counts complete snapshots only.
CREATE VIEW IF NOT EXISTS {{db}}.projector_watermarks AS
SELECT
    projector,                   -- projector name
    repository,                  -- repository id
    min(partition_sequence) AS sequence, -- committed snapshot sequence
    max(partition_updated) AS updated    -- when it was last advanced (UTC)
FROM
(
    SELECT
        projector,
        repository,
        partition,
        max(sequence) AS partition_sequence,
        max(updated) AS partition_updated
    FROM {{db}}.watermarks
    GROUP BY projector, repository, partition
)
GROUP BY projector, repository;
