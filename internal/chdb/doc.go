// Package chdb connects to ClickHouse over the native protocol, applies
// versioned schema migrations, and decides which ClickHouse errors are worth
// retrying.
//
// Everything here works against both ClickHouse 18.16 (Debian's package,
// which tests and CI run) and current releases (production). What that
// takes, learned against 18.16 with clickhouse-go v2.50:
//
//   - The handshake works (18.16 speaks protocol revision 54412); Ping,
//     Exec, Query, QueryRow, ServerVersion and LZ4 compression work.
//   - Bind arguments client-side with "?": String, UInt64, DateTime
//     (time.Time), Array(String) ([]string) and NULL (nil) are formatted as
//     literals. Server-side {name:Type} parameters are a syntax error on
//     18.16. A []string bound to "x IN (?)" becomes an array literal, which
//     18.16 rejects: write has(?, x), or bind clickhouse.GroupSet.
//   - Insert with PrepareBatch("INSERT INTO t (a, b, …)"): without the
//     column list, 18.16 describes no columns and every Append fails.
//     Exec("INSERT … VALUES …"), literal or bound, hangs on 18.16 until ReadTimeout
//     (the old server waits for a data block); insert one row with
//     "INSERT INTO t (a, …) SELECT ?, …" or with a batch.
//   - Query settings travel as integers up to revision 54429: only int and
//     bool values can be sent, hence Options.Settings is map[string]int.
//     Async inserts fail (UNKNOWN_SETTING async_insert), and so does the
//     HTTP protocol (UNKNOWN_SETTING client_protocol_version).
//   - LowCardinality columns need allow_experimental_low_cardinality_type=1
//     in the query settings of the CREATE on 18.16 (a SETTINGS clause on the
//     table does not do); Open adds it when the server has that setting
//     switched off, so migrations can use LowCardinality on both.
//   - 18.16 has no EXCHANGE TABLES, DateTime64, Map, Bool or insert
//     deduplication tokens; it has ReplacingMergeTree(ver), FINAL, mutations,
//     ALTER TABLE … REPLACE PARTITION … FROM, and RENAME TABLE of several
//     tables in one statement (a swap).
//   - Multi-statement queries are refused; Migrate splits files itself.
package chdb
