package consumers

import (
	"context"
	"time"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
)

// gather extends a batch that ends in the middle of a snapshot — one whose
// started marker it holds on some partition without that partition's
// commit marker — with the records that follow, for up to MaxWait, while
// the batch has room. A small snapshot then arrives in one batch, which a
// projection can apply in one step (the packages projection writes it
// straight to its visible tables) instead of staging it across batches.
// Errors end the gathering quietly: the next Fetch meets them again.
func (p *Projector) gather(ctx context.Context, batch bus.Batch) bus.Batch {
	deadline := time.Now().Add(p.cfg.MaxWait)
	for len(batch) < p.cfg.BatchSize && openSnapshot(batch) {
		wait := time.Until(deadline)
		if wait <= 0 {
			break
		}
		fctx, cancel := context.WithDeadline(ctx, deadline)
		more, err := p.consumer.Fetch(fctx, p.cfg.BatchSize-len(batch), wait)
		cancel()
		batch = append(batch, more...)
		if err != nil || len(more) == 0 {
			break
		}
	}
	return batch
}

// commitMarker reports whether r is a snapshot committed marker: the end of
// a snapshot on its partition, after which a fetch need not linger.
func commitMarker(r bus.Record) bool {
	if _, marker := r.Header(bus.PartitionMetadata); !marker {
		return false
	}
	e, err := events.Decode(r.Value)
	return err == nil && e.Type == events.SnapshotCommitted
}

// openSnapshot reports whether batch holds a snapshot started marker whose
// commit marker on the same partition it does not hold. Only markers
// (records routed to an explicit partition) are decoded.
func openSnapshot(batch bus.Batch) bool {
	type key struct {
		repo      string
		sequence  uint64
		partition int
	}
	open := map[key]bool{}
	for _, r := range batch {
		if _, marker := r.Header(bus.PartitionMetadata); !marker {
			continue
		}
		e, err := events.Decode(r.Value)
		if err != nil || !e.Type.IsMarker() {
			continue
		}
		k := key{e.Repository.ID(), e.Sequence, r.Partition}
		open[k] = e.Type == events.SnapshotStarted
	}
	for _, isOpen := range open {
		if isOpen {
			return true
		}
	}
	return false
}
