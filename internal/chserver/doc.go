// Package chserver runs a local clickhouse-server as a child process, so that
// one machine can run the whole pipeline and tests can run against a real
// server without anything installed as a service.
//
// Start writes a minimal config.xml and users.xml under Config.DataDir, starts
// the binary, and returns once the native protocol port completes a
// handshake. The server listens on 127.0.0.1 only (native TCP and HTTP; interserver
// replication is off), logs warnings and errors to files under the data
// directory, runs in UTC, and lets the "default" user in from loopback without
// a password. Everything it writes stays under DataDir, so a later Start on the
// same DataDir finds the same databases. DROP has no size limit, and a
// stopping server waits about a second for connected clients
// (shutdown_wait_unfinished=1, poll_interval=1) instead of 5 to 10 seconds,
// so a stop takes about a second even with a connection pool open.
//
// The child is put in its own process group (a terminal's Ctrl-C reaches the
// parent only, which then stops the server in order) and, on Linux, is killed
// when the parent dies. MergeTree parts are written atomically, so that kill
// loses no committed insert.
//
// The generated configuration uses the <yandex> root element and only keys
// that both ClickHouse 18.16 (Debian's package) and current releases read.
package chserver
