-- The swap handshake between `repodelta rebuild` and the live projectors
-- (consumers.Control, internal/pipeline/rebuild*.go).
--
-- A rebuild builds a projection into a shadow database under another
-- consumer group, then asks the live projector to step aside while it
-- swaps the shadow tables in: it writes a 'swapping' row here and keeps its
-- heartbeat fresh. A live projector given a Control checks the row between
-- batches (and while it waits for records); on 'swapping' it commits its
-- batch, leaves its consumer group and waits, then rejoins once the row
-- says 'done' or the heartbeat is older than a minute (the rebuild died:
-- the live projector must not wait for ever). The rebuild swaps only once
-- the live group has no members, so live and rebuild never write the same
-- tables at once.
--
-- In a shadow database the table also holds the rebuild's own row
-- (projector '<name>.rebuild', state 'started') once its starting offsets
-- are committed, so an interrupted rebuild knows to resume.
CREATE TABLE IF NOT EXISTS {{db}}.projector_control
(
    projector String,            -- projector name, e.g. packages
    state String,                -- 'swapping', 'done' (live rows); 'started' (a shadow's own row)
    requested DateTime,          -- when the row was written (UTC, the server's clock)
    heartbeat DateTime,          -- the rebuild's last sign of life (UTC, the server's clock)
    version UInt64               -- write order: nanoseconds since the epoch of the writer
)
ENGINE = ReplacingMergeTree(version)
ORDER BY projector;
