package pipeline

import (
	"context"
	"path/filepath"
	"time"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/producers"
)

// Status is what `repodelta status` reports.
type Status struct {
	Repositories []RepositoryStatus `json:"repositories"`
	Projectors   []ProjectorStatus  `json:"projectors"`
}

// RepositoryStatus is a repository's last committed snapshot, from the
// producer's state store.
type RepositoryStatus struct {
	Name     string        `json:"name"`
	ID       string        `json:"id"`
	Sequence uint64        `json:"sequence"`
	Time     time.Time     `json:"time"`
	Counts   events.Counts `json:"counts"`
}

// ProjectorStatus is a projector's lag (log end minus committed offset,
// summed over partitions) and its committed snapshot per repository.
type ProjectorStatus struct {
	Name       string            `json:"name"`
	Group      string            `json:"group"`
	Lag        int64             `json:"lag"`
	Watermarks map[string]uint64 `json:"watermarks"`
}

// ReadStatus gathers the status of every configured repository and every
// projector.
func ReadStatus(ctx context.Context, o Options, s *Services, cfg *config.Config) (*Status, error) {
	store, err := producers.NewStore(filepath.Join(o.DataDir, "state"))
	if err != nil {
		return nil, err
	}
	st := &Status{}
	for _, r := range cfg.Repositories {
		state, err := store.Load(r.Identity())
		if err != nil {
			return nil, err
		}
		st.Repositories = append(st.Repositories, RepositoryStatus{
			Name: r.Name, ID: r.Identity().ID(), Sequence: state.Sequence, Time: state.Time, Counts: state.Counts,
		})
	}
	if err := s.StartKafka(ctx, o); err != nil {
		return nil, err
	}
	conn, err := OpenClickHouse(ctx, o, s)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for _, name := range ProjectionNames() {
		ps := ProjectorStatus{Name: name, Group: consumers.Group(name)}
		lag, err := bus.Lag(ctx, s.Brokers, ps.Group, cfg.Topic)
		if err != nil {
			return nil, err
		}
		for _, n := range lag {
			ps.Lag += n
		}
		if ps.Watermarks, err = consumers.NewLedger(o.database(), name).Committed(ctx, conn); err != nil {
			return nil, err
		}
		st.Projectors = append(st.Projectors, ps)
	}
	return st, nil
}
