// Package pipeline wires repodelta's parts into the commands an operator
// runs: it starts the services (the embedded broker and a managed
// ClickHouse server unless external ones are given), ingests configured
// repositories through the event log, and runs projectors until they have
// caught up. The CLI builds an Options value and calls these functions; no
// flag or environment variable is read here.
package pipeline
