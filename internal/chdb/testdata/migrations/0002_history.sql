CREATE TABLE IF NOT EXISTS {{db}}.history (name String, at DateTime) ENGINE = MergeTree ORDER BY (name, at);
INSERT INTO {{db}}.history (name, at) SELECT 'it''s; here', toDateTime('2024-01-02 03:04:05');
