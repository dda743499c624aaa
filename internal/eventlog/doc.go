// Package eventlog is the producer's view of the Kafka topic of package
// events, on our kafka-go transport (internal/bus): it appends messages with acknowledgement from all
// in-sync replicas — by project key with the murmur2 balancer (as the Java
// client), or to an explicit partition for snapshot markers — and reads the
// topic back whole for recovery. It implements producers.Log and
// producers.LogReader.
package eventlog
