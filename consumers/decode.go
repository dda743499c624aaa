package consumers

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
)

// minParallelDecode is the smallest batch worth decoding on several cores.
const minParallelDecode = 256

// decode decodes a batch's records, on every core. A record that is not a
// valid event goes to the poison topic and is left out; without a Poisoner
// it is an error.
func (p *Projector) decode(ctx context.Context, batch bus.Batch) ([]Event, error) {
	envs, errs := decodeAll(batch)
	evs := make([]Event, 0, len(batch))
	for i, rec := range batch {
		if errs[i] != nil {
			if err := p.poison(ctx, rec, errs[i]); err != nil {
				return nil, err
			}
			continue
		}
		evs = append(evs, Event{Envelope: envs[i], Partition: rec.Partition, Offset: rec.Offset})
	}
	return evs, nil
}

// decodeAll decodes every record, in GOMAXPROCS contiguous slices at once;
// JSON decoding is most of a projector's own CPU time.
func decodeAll(batch bus.Batch) ([]*events.Envelope, []error) {
	envs, errs := make([]*events.Envelope, len(batch)), make([]error, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch)/minParallelDecode+1)
	size := (len(batch) + workers - 1) / workers
	var wg sync.WaitGroup
	for start := 0; start < len(batch); start += size {
		end := min(start+size, len(batch))
		wg.Go(func() {
			for i := start; i < end; i++ {
				envs[i], errs[i] = events.Decode(batch[i].Value)
			}
		})
	}
	wg.Wait()
	return envs, errs
}

func (p *Projector) poison(ctx context.Context, rec bus.Record, cause error) error {
	where := fmt.Sprintf("%s/%d/%d", rec.Topic, rec.Partition, rec.Offset)
	if p.cfg.Poison == nil {
		return fmt.Errorf("decoding record %s: %w", where, cause)
	}
	err := p.retry(ctx, "poisoning", bus.Retryable, func(ctx context.Context) error {
		return p.cfg.Poison.Poison(ctx, rec, cause.Error())
	})
	if err != nil {
		return fmt.Errorf("poisoning undecodable record %s: %w", where, err)
	}
	p.stats.poisoned.Add(1)
	p.log.WarnContext(ctx, "poisoned an undecodable record", "record", where, "reason", cause)
	return nil
}
