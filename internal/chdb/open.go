package chdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// lowCardinalitySetting is off by default on 18.16 and obsolete since 19.x.
const lowCardinalitySetting = "allow_experimental_low_cardinality_type"

// identifier is what Open and Migrate accept as a database name: enough
// for any name we choose, and never in need of quoting.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Options describes a connection pool. The zero value of every field but
// Addr is a usable default.
type Options struct {
	// Addr is the host:port of the server's native protocol. Required.
	Addr string
	// Database is the connection's default database, for unqualified
	// names. Default "default". It must exist unless CreateDatabase is set.
	Database string
	// CreateDatabase makes Open create Database (IF NOT EXISTS) first.
	CreateDatabase bool
	// Username defaults to "default"; Password to empty.
	Username string
	Password string
	// DialTimeout bounds connecting and waiting for a free pooled
	// connection. Default 10s.
	DialTimeout time.Duration
	// ReadTimeout bounds the wait for each server packet. Default 5m.
	ReadTimeout time.Duration
	// MaxOpenConns defaults to 8, MaxIdleConns to 4.
	MaxOpenConns int
	MaxIdleConns int
	// ConnMaxLifetime defaults to 1h.
	ConnMaxLifetime time.Duration
	// Settings are sent with every query. Values are integers because
	// 18.16's protocol carries no other kind (booleans are 0 or 1).
	Settings map[string]int
	// Logger receives clickhouse-go's own logs. Default: none.
	Logger *slog.Logger
}

// Validate reports every problem of o at once.
func (o Options) Validate() error {
	var errs []error
	if o.Addr == "" {
		errs = append(errs, errors.New("Addr is required"))
	}
	if o.Database != "" && !identifier.MatchString(o.Database) {
		errs = append(errs, fmt.Errorf("database name %q is not a plain identifier", o.Database))
	}
	for name, d := range map[string]time.Duration{"DialTimeout": o.DialTimeout, "ReadTimeout": o.ReadTimeout, "ConnMaxLifetime": o.ConnMaxLifetime} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("%s %s is negative", name, d))
		}
	}
	if o.MaxOpenConns < 0 || o.MaxIdleConns < 0 {
		errs = append(errs, fmt.Errorf("connection limits %d/%d are negative", o.MaxOpenConns, o.MaxIdleConns))
	}
	return errors.Join(errs...)
}

// Open connects to ClickHouse, checks the server answers, and returns a
// pool safe for concurrent use; the caller closes it. It adds the settings
// the server's version needs (see the package comment) to o.Settings.
func Open(ctx context.Context, o Options) (driver.Conn, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("validating clickhouse options: %w", err)
	}
	o = o.withDefaults()
	// The database to create cannot be connected to yet.
	probeDB := o.Database
	if o.CreateDatabase {
		probeDB = "default"
	}
	probe, err := connect(ctx, o, probeDB)
	if err != nil {
		return nil, err
	}
	extra, err := prepareServer(ctx, probe, o)
	if err == nil && len(extra) == 0 && probeDB == o.Database {
		return probe, nil
	}
	if closeErr := probe.Close(); err == nil && closeErr != nil {
		err = fmt.Errorf("closing probe connection: %w", closeErr)
	}
	if err != nil {
		return nil, fmt.Errorf("preparing clickhouse at %s: %w", o.Addr, err)
	}
	maps.Copy(o.Settings, extra)
	return connect(ctx, o, o.Database)
}

func (o Options) withDefaults() Options {
	if o.Database == "" {
		o.Database = "default"
	}
	if o.Username == "" {
		o.Username = "default"
	}
	if o.DialTimeout == 0 {
		o.DialTimeout = 10 * time.Second
	}
	if o.ReadTimeout == 0 {
		o.ReadTimeout = 5 * time.Minute
	}
	if o.MaxOpenConns == 0 {
		o.MaxOpenConns = 8
	}
	if o.MaxIdleConns == 0 {
		o.MaxIdleConns = 4
	}
	if o.ConnMaxLifetime == 0 {
		o.ConnMaxLifetime = time.Hour
	}
	o.Settings = maps.Clone(o.Settings)
	if o.Settings == nil {
		o.Settings = map[string]int{}
	}
	return o
}

// connect opens a pool on database and pings it.
func connect(ctx context.Context, o Options, database string) (driver.Conn, error) {
	settings := clickhouse.Settings{}
	for k, v := range o.Settings {
		settings[k] = v
	}
	conn, err := clickhouse.Open(&clickhouse.Options{
		Protocol:        clickhouse.Native,
		Addr:            []string{o.Addr},
		Auth:            clickhouse.Auth{Database: database, Username: o.Username, Password: o.Password},
		DialTimeout:     o.DialTimeout,
		ReadTimeout:     o.ReadTimeout,
		MaxOpenConns:    o.MaxOpenConns,
		MaxIdleConns:    o.MaxIdleConns,
		ConnMaxLifetime: o.ConnMaxLifetime,
		Compression:     &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
		Settings:        settings,
		Logger:          o.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("opening clickhouse at %s: %w", o.Addr, err)
	}
	if err := conn.Ping(ctx); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("connecting to clickhouse database %s at %s: %w", database, o.Addr, err)
	}
	return conn, nil
}

// prepareServer creates the database if asked and returns the settings
// this server needs beyond o.Settings.
func prepareServer(ctx context.Context, conn driver.Conn, o Options) (map[string]int, error) {
	if o.CreateDatabase {
		if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+o.Database); err != nil {
			return nil, fmt.Errorf("creating database %s: %w", o.Database, err)
		}
	}
	extra := map[string]int{}
	if _, set := o.Settings[lowCardinalitySetting]; set {
		return extra, nil
	}
	rows, err := conn.Query(ctx, "SELECT value FROM system.settings WHERE name = ?", lowCardinalitySetting)
	if err != nil {
		return nil, fmt.Errorf("reading system.settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var value string
		if err := rows.Scan(&value); err != nil {
			return nil, fmt.Errorf("reading system.settings: %w", err)
		}
		if value == "0" {
			extra[lowCardinalitySetting] = 1
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading system.settings: %w", err)
	}
	return extra, nil
}
