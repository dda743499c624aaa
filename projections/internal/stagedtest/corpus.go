package stagedtest

import (
	"bufio"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/consumers/projectortest"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers/input"
)

// The repositories of the corpus story: bookworm moves to bookworm-point
// in its second snapshot.
var (
	Bookworm = events.Repository{Name: "bookworm", Family: "debian", Distribution: "debian",
		Release: "bookworm", Component: "main", Architecture: "amd64"}
	Trixie = events.Repository{Name: "trixie", Family: "debian", Distribution: "debian",
		Release: "trixie", Component: "main", Architecture: "amd64"}
)

// corpusStory is bookworm, then trixie, then bookworm-point as bookworm's
// second snapshot, taken once per test binary.
var corpusStory = sync.OnceValues(func() (*projectortest.Story, error) {
	return projectortest.Tell(context.Background(), 6, 17, []projectortest.Take{
		{Name: "bookworm-1", Repository: Bookworm, Sequence: 1, Index: projectortest.Corpus("bookworm_main_amd64_Packages.xz")},
		{Name: "trixie-1", Repository: Trixie, Sequence: 1, Index: projectortest.Corpus("trixie_main_amd64_Packages.xz")},
		{Name: "bookworm-2", Repository: Bookworm, Sequence: 2, After: "bookworm-1",
			Index: projectortest.Corpus("bookworm-point_main_amd64_Packages.xz")},
	})
})

// Story returns the corpus story: bookworm, then trixie, then
// bookworm-point as bookworm's second snapshot. It is told once per test
// binary; callers must not modify it.
func Story(tb testing.TB) *projectortest.Story {
	tb.Helper()
	s, err := corpusStory()
	require.NoError(tb, err)
	return s
}

// Applier is a projection under test.
type Applier interface {
	Apply(ctx context.Context, conn driver.Conn, batch []consumers.Event) error
}

// Apply applies events in batches of 5,000, as a projector does by
// default.
func Apply(tb testing.TB, p Applier, conn driver.Conn, evs []consumers.Event) {
	tb.Helper()
	for _, b := range projectortest.Batches(evs, 5000) {
		require.NoError(tb, p.Apply(context.Background(), conn, b))
	}
}

// PackagesAfter folds the package events of steps: per repository id, per
// key, the last appeared or changed event; disappeared keys are removed.
func PackagesAfter(steps []projectortest.Step) map[string]map[string]consumers.Event {
	out := map[string]map[string]consumers.Event{}
	for _, st := range steps {
		if st.Aborted {
			continue
		}
		for _, e := range st.Events {
			if e.Type.IsMarker() {
				continue
			}
			repo := out[e.Repository.ID()]
			if repo == nil {
				repo = map[string]consumers.Event{}
				out[e.Repository.ID()] = repo
			}
			if e.Type == events.PackageDisappeared {
				delete(repo, e.Key)
			} else {
				repo[e.Key] = e
			}
		}
	}
	return out
}

// PackageEvents counts the events of evs that are not markers.
func PackageEvents(evs []consumers.Event) int {
	n := 0
	for _, e := range evs {
		if !e.Type.IsMarker() {
			n++
		}
	}
	return n
}

// SplitAt cuts evs before the first event of snapshot seq.
func SplitAt(evs []consumers.Event, seq uint64) ([]consumers.Event, []consumers.Event) {
	for i, e := range evs {
		if e.Sequence == seq {
			return evs[:i], evs[i:]
		}
	}
	return evs, nil
}

// FieldValues reads an index file as text and returns the distinct values
// of a single-line field, as written.
func FieldValues(tb testing.TB, path, field string) map[string]bool {
	tb.Helper()
	r, err := input.Open(context.Background(), path, input.Options{})
	require.NoError(tb, err)
	defer func() { require.NoError(tb, r.Close()) }()
	out := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			out[strings.TrimSpace(v)] = true
		}
	}
	require.NoError(tb, sc.Err())
	return out
}
