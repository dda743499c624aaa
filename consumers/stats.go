package consumers

import "sync/atomic"

// Stats counts what a Projector did since it was created.
type Stats struct {
	Batches  uint64 // batches applied and committed
	Events   uint64 // events in those batches
	Poisoned uint64 // undecodable records sent to the poison topic
	Retries  uint64 // retries after retryable errors
}

type counters struct {
	batches, events, poisoned, retries atomic.Uint64
}

// Stats returns the projector's counters. Safe for concurrent use.
func (p *Projector) Stats() Stats {
	return Stats{
		Batches:  p.stats.batches.Load(),
		Events:   p.stats.events.Load(),
		Poisoned: p.stats.poisoned.Load(),
		Retries:  p.stats.retries.Load(),
	}
}
