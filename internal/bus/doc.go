// Package bus is repodelta's Kafka transport, built on segmentio/kafka-go
// and speaking Watermill's vocabulary.
//
// Publisher and Subscriber implement Watermill's message.Publisher and
// message.Subscriber (Watermill's own Kafka backend is built on Sarama), so
// Watermill's router and middleware (retry, poison queue, metrics) work over
// them; they pass Watermill's pubsub/tests suite. BatchConsumer is the hot
// path for projectors: it fetches records in batches and commits offsets
// only when told to, after the batch's writes succeeded.
//
// # Delivery
//
// Publishing waits for the acknowledgement of all in-sync replicas and
// returns every error. kafka-go has no idempotent producer, so a retried
// write can land twice in the log; delivery to consumers is at least once
// (re-delivery after a rebalance, a restart or a lost commit). Consumers must
// make duplicates harmless.
//
// # Keys and partitions
//
// A record's key is the message's KeyMetadata metadata entry; the partition
// is chosen from the key with murmur2, as the Java client does, so that
// every producer agrees on where a key lives and all records of one key stay
// in order in one partition. Other metadata entries travel as headers.
//
// # Topics
//
// Topics are created with infinite retention (EnsureTopic): the log is the
// source of truth. Publishers and consumers create a topic they need the
// first time they use it, unless told the topics already exist.
//
// # Errors
//
// Retryable decides, in one place, which errors of this package and of
// kafka-go are worth retrying. A record that can never be processed goes to
// the poison topic of its topic (Poison, PoisonMiddleware).
package bus
