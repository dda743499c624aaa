package chdb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// DatabasePlaceholder stands for the target database in migration files:
// "CREATE TABLE {{db}}.packages …". Migrate substitutes it, so the same files
// migrate "repodelta" in production and a fresh database in each test.
const DatabasePlaceholder = "{{db}}"

// MigrationsTable is the table, in the migrated database, that records
// each applied migration with its checksum.
const MigrationsTable = "schema_migrations"

// ErrChangedMigration reports a migration file whose content differs from
// what was applied under its version.
var ErrChangedMigration = errors.New("applied migration was changed; add a new migration instead of editing one")

// Migrate applies the migrations in dir of fsys that database has not had
// yet, in version order, and returns the names of those it applied.
//
// A migration is a file NNNN_name.sql (NNNN a version of any number of
// digits, name lower-case letters, digits and underscores) holding one or
// more statements separated by semicolons, with {{db}} for the database;
// other files in dir are ignored. Migrate creates the database and its
// schema_migrations table, and records each migration there once all its
// statements succeeded. Running it again applies nothing.
//
// Before applying anything, Migrate checks every recorded migration against
// its file and fails with ErrChangedMigration if a file changed. A version
// recorded but no longer in dir (a newer binary ran) is left alone.
//
// ClickHouse DDL is not transactional: a migration that fails halfway is
// retried whole by the next run, so write statements that can run twice
// (IF NOT EXISTS, IF EXISTS). Migrate must not run concurrently against
// one database.
func Migrate(ctx context.Context, conn driver.Conn, fsys fs.FS, dir, database string) ([]string, error) {
	if !identifier.MatchString(database) {
		return nil, fmt.Errorf("migrating database %q: name is not a plain identifier", database)
	}
	migrations, err := loadMigrations(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("loading migrations from %s: %w", dir, err)
	}
	if err := createMigrationsTable(ctx, conn, database); err != nil {
		return nil, err
	}
	recorded, err := appliedChecksums(ctx, conn, database)
	if err != nil {
		return nil, err
	}
	var pending []migration
	for _, m := range migrations {
		sum, ok := recorded[m.version]
		switch {
		case !ok:
			pending = append(pending, m)
		case sum != m.checksum:
			return nil, fmt.Errorf("checking migration %s of database %s (applied checksum %.12s, file checksum %.12s): %w",
				m.file, database, sum, m.checksum, ErrChangedMigration)
		}
	}
	var applied []string
	for _, m := range pending {
		if err := apply(ctx, conn, m, database); err != nil {
			return applied, err
		}
		applied = append(applied, m.name)
	}
	return applied, nil
}

func createMigrationsTable(ctx context.Context, conn driver.Conn, database string) error {
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+database); err != nil {
		return fmt.Errorf("creating database %s: %w", database, err)
	}
	ddl := "CREATE TABLE IF NOT EXISTS " + database + "." + MigrationsTable + ` (
		version UInt64,
		name String,
		checksum String,
		applied_at DateTime
	) ENGINE = MergeTree ORDER BY version`
	if err := conn.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("creating %s.%s: %w", database, MigrationsTable, err)
	}
	return nil
}

// appliedChecksums reads the recorded migrations: version → checksum.
func appliedChecksums(ctx context.Context, conn driver.Conn, database string) (map[uint64]string, error) {
	rows, err := conn.Query(ctx, "SELECT version, checksum FROM "+database+"."+MigrationsTable)
	if err != nil {
		return nil, fmt.Errorf("reading %s.%s: %w", database, MigrationsTable, err)
	}
	defer rows.Close()
	recorded := map[uint64]string{}
	for rows.Next() {
		var (
			version  uint64
			checksum string
		)
		if err := rows.Scan(&version, &checksum); err != nil {
			return nil, fmt.Errorf("reading %s.%s: %w", database, MigrationsTable, err)
		}
		recorded[version] = checksum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading %s.%s: %w", database, MigrationsTable, err)
	}
	return recorded, nil
}

// apply runs m's statements in order and then records m.
func apply(ctx context.Context, conn driver.Conn, m migration, database string) error {
	body := strings.ReplaceAll(m.body, DatabasePlaceholder, database)
	stmts, err := splitStatements(body)
	if err != nil {
		return fmt.Errorf("splitting migration %s: %w", m.file, err)
	}
	for i, stmt := range stmts {
		if err := conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("applying migration %s statement %d of %d: %w", m.file, i+1, len(stmts), err)
		}
	}
	// INSERT … SELECT: 18.16 waits for a data block after INSERT … VALUES.
	record := "INSERT INTO " + database + "." + MigrationsTable +
		" (version, name, checksum, applied_at) SELECT ?, ?, ?, now()"
	if err := conn.Exec(ctx, record, m.version, m.name, m.checksum); err != nil {
		return fmt.Errorf("recording migration %s: %w", m.file, err)
	}
	return nil
}
