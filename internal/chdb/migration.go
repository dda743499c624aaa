package chdb

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// migrationFile is the name of a migration: version, then a name.
var migrationFile = regexp.MustCompile(`^([0-9]+)_([a-z0-9_]+)\.sql$`)

// migration is one versioned file.
type migration struct {
	version  uint64
	name     string // file name without ".sql", as Migrate reports it
	file     string // path within the fs.FS
	body     string
	checksum string // hex SHA-256 of the file as stored
}

// loadMigrations reads the migrations in dir, sorted by version. Every
// problem with the set (a misnamed .sql file, two files of one version, an
// unknown {{…}} placeholder) is reported at once.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var (
		migrations []migration
		errs       []error
		byVersion  = map[uint64]string{}
	)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m, err := readMigration(fsys, path.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := byVersion[m.version]; dup {
			errs = append(errs, fmt.Errorf("%s and %s share version %d", other, m.file, m.version))
			continue
		}
		byVersion[m.version] = m.file
		migrations = append(migrations, m)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(migrations, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	return migrations, nil
}

// readMigration reads and checks one migration file.
func readMigration(fsys fs.FS, file string) (migration, error) {
	match := migrationFile.FindStringSubmatch(path.Base(file))
	if match == nil {
		return migration{}, fmt.Errorf("%s: name is not NNNN_name.sql (digits, underscore, lower-case name)", file)
	}
	version, err := strconv.ParseUint(match[1], 10, 64)
	if err != nil {
		return migration{}, fmt.Errorf("parsing the version of %s: %w", file, err)
	}
	body, err := fs.ReadFile(fsys, file)
	if err != nil {
		return migration{}, err
	}
	rest := strings.ReplaceAll(string(body), DatabasePlaceholder, "")
	if i := strings.Index(rest, "{{"); i >= 0 {
		return migration{}, fmt.Errorf("%s: unknown placeholder near %.20q (only %s is known)", file, rest[i:], DatabasePlaceholder)
	}
	sum := sha256.Sum256(body)
	return migration{
		version:  version,
		name:     strings.TrimSuffix(path.Base(file), ".sql"),
		file:     file,
		body:     string(body),
		checksum: hex.EncodeToString(sum[:]),
	}, nil
}
