-- The first migration. chdb.Migrate creates the database itself before any
-- file runs (it keeps its schema_migrations table there), so this statement
-- only states it; the file also gives go:embed something to match before the
-- first table migration exists. {{db}} is the database being migrated.
CREATE DATABASE IF NOT EXISTS {{db}};
