package consumers

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
)

func record(t *testing.T, i int) bus.Record {
	t.Helper()
	if i%7 == 3 {
		return bus.Record{Offset: int64(i), Value: []byte("not an event")}
	}
	b, err := events.Encode(&events.Envelope{
		Type: events.SnapshotStarted, Repository: events.Repository{Family: "debian"}, Sequence: uint64(i + 1),
		SnapshotTime: time.Unix(0, 0).UTC(), Marker: &events.Marker{},
	})
	require.NoError(t, err)
	return bus.Record{Offset: int64(i), Value: b}
}

func TestDecodeAllKeepsOrderAndFindsEveryBadRecord(t *testing.T) {
	for _, n := range []int{1, 7, minParallelDecode - 1, minParallelDecode + 1, 3*minParallelDecode + 5} {
		t.Run(fmt.Sprintf("a batch of %d records", n), func(t *testing.T) {
			batch := make(bus.Batch, n)
			for i := range batch {
				batch[i] = record(t, i)
			}
			envs, errs := decodeAll(batch)
			require.Len(t, envs, n)
			for i := range batch {
				if i%7 == 3 {
					assert.ErrorIs(t, errs[i], events.ErrInvalid, "record %d", i)
					continue
				}
				require.NoError(t, errs[i], "record %d", i)
				assert.Equal(t, uint64(i+1), envs[i].Sequence, "record %d", i)
			}
		})
	}
}
