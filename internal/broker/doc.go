// Package broker runs an embedded Kafka-protocol broker inside the process,
// so that one command can run the whole pipeline on one machine.
//
// The broker is franz-go's kfake: a single node listening on 127.0.0.1 that
// speaks the Kafka wire protocol, so the same kafka-go code talks to it as to
// a real cluster. With a data directory it persists its logs, topics and
// committed offsets there and reloads them on the next Start; it also
// remembers the port it listened on, so that clients configured with the old
// address reconnect after a restart.
//
// The embedded broker is for one machine: it binds the loopback interface
// only, has one node (replication factor 1) and keeps no retention limits
// (the event log is the source of truth, as it is in production).
package broker
