// Package testenv starts the real services integration tests run against —
// a ClickHouse server and a Kafka-protocol broker — once per test binary.
//
// When the environment variable REPODELTA_REQUIRE names a service (a comma
// separated list such as "clickhouse,kafka", as CI sets it), a test that
// cannot have that service fails; otherwise it is skipped with the reason.
package testenv
