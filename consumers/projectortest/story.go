package projectortest

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"time"

	"github.com/repodelta/repodelta/consumers"
	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
	"github.com/repodelta/repodelta/producers/input"
)

// Story is a log written by the real producer: snapshots of repositories
// taken from index files, some of them aborted.
type Story struct {
	Log   *Log
	Steps []Step
}

// Step is one snapshot's publication.
type Step struct {
	Name       string
	Repository events.Repository
	Sequence   uint64
	// Aborted is set when the commit marker did not reach every partition.
	Aborted bool
	// Events are what the step appended to the log, interleaved.
	Events []consumers.Event
}

// All returns the events of every step, in order: a whole log as a
// consumer reads it from offset zero.
func (s *Story) All() []consumers.Event {
	var out []consumers.Event
	for _, st := range s.Steps {
		out = append(out, st.Events...)
	}
	return out
}

// Take describes a snapshot to take.
type Take struct {
	Name       string
	Repository events.Repository
	Sequence   uint64
	// After is the name of the step the snapshot is diffed against ("":
	// none, the repository's first snapshot).
	After string
	// Index is the index file (plain or compressed).
	Index       string
	Publication Publication
}

// Tell takes the snapshots in order with the real producer
// (producers.Diff over debian.Scanner) and publishes each to a Log of the
// given partitions.
func Tell(ctx context.Context, partitions int, seed uint64, takes []Take) (*Story, error) {
	story := &Story{Log: NewLog(partitions, seed)}
	states := map[string]*producers.State{}
	for _, tk := range takes {
		prev := producers.NewState(tk.Repository)
		if tk.After != "" {
			if prev = states[tk.After]; prev == nil {
				return nil, fmt.Errorf("telling %s: no step %q before it", tk.Name, tk.After)
			}
		}
		envs, next, err := diff(ctx, prev, tk)
		if err != nil {
			return nil, err
		}
		states[tk.Name] = next
		evs, err := story.Log.Publish(envs, tk.Publication)
		if err != nil {
			return nil, fmt.Errorf("publishing %s: %w", tk.Name, err)
		}
		aborted := tk.Publication.CommitOn != nil && len(tk.Publication.CommitOn) < partitions
		story.Steps = append(story.Steps, Step{Name: tk.Name, Repository: tk.Repository, Sequence: tk.Sequence, Aborted: aborted, Events: evs})
	}
	return story, nil
}

func diff(ctx context.Context, prev *producers.State, tk Take) ([]*events.Envelope, *producers.State, error) {
	var envs []*events.Envelope
	sink := producers.SinkFunc(func(e *events.Envelope) error {
		envs = append(envs, e)
		return nil
	})
	snap := producers.Snapshot{
		Repository: tk.Repository,
		Sequence:   tk.Sequence,
		Time:       time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC).Add(time.Duration(tk.Sequence) * 24 * time.Hour),
		Source:     filepath.Base(tk.Index),
	}
	scan := debian.Scanner(tk.Index, debian.Options{}, input.Options{})
	next, _, err := producers.Diff(ctx, prev, snap, producers.Guard{}, scan, sink)
	if err != nil {
		return nil, nil, fmt.Errorf("taking snapshot %s: %w", tk.Name, err)
	}
	return envs, next, nil
}

// Testdata returns the path of a file in this package's testdata.
func Testdata(name string) string {
	return filepath.Join(packageDir(), "testdata", name)
}

// Corpus returns the path of a Debian index in the shared corpus beside
// the project (../shared/corpus/debian).
func Corpus(name string) string {
	return filepath.Join(packageDir(), "..", "..", "..", "shared", "corpus", "debian", name)
}

func packageDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// The repositories of the stories.
var (
	GoldenMain = events.Repository{Name: "golden-main", Family: "debian", Distribution: "debian",
		Release: "bookworm", Component: "main", Architecture: "amd64"}
	GoldenSources = events.Repository{Name: "golden-sources", Family: "debian", Distribution: "debian",
		Release: "bookworm", Component: "main", Architecture: "source"}
	CorpusRepository = events.Repository{Name: "corpus", Family: "debian", Distribution: "debian",
		Release: "bookworm", Component: "main", Architecture: "amd64"}
)

// GoldenStory is the small story whose rows the golden files hold: two
// repositories; appeared, changed (with and without a new version),
// disappeared and re-appeared packages; an index listing one name twice;
// an unchanged snapshot (markers only); and snapshot 3 of golden-main
// aborted after its commit marker reached partition 0 only, so snapshot 4
// is diffed against snapshot 2.
func GoldenStory(ctx context.Context) (*Story, error) {
	return Tell(ctx, 4, 1, []Take{
		{Name: "main-1", Repository: GoldenMain, Sequence: 1, Index: Testdata("main-1.Packages")},
		{Name: "sources-1", Repository: GoldenSources, Sequence: 1, Index: Testdata("sources-1.Sources")},
		{Name: "main-2", Repository: GoldenMain, Sequence: 2, After: "main-1", Index: Testdata("main-2.Packages")},
		{Name: "sources-2", Repository: GoldenSources, Sequence: 2, After: "sources-1", Index: Testdata("sources-1.Sources")},
		{Name: "main-3", Repository: GoldenMain, Sequence: 3, After: "main-2", Index: Testdata("main-3.Packages"),
			Publication: Publication{CommitOn: []int{0}}},
		{Name: "main-4", Repository: GoldenMain, Sequence: 4, After: "main-2", Index: Testdata("main-4.Packages")},
	})
}

// CorpusStory is a larger story from the corpus: bookworm-updates (38
// packages), then bookworm-security (3,003) as the next snapshot of the
// same repository, then bookworm-updates again, aborted with its commit
// marker on two of four partitions, then bookworm-updates committed
// against snapshot 2. dupChance adds duplicated records (see Publication).
func CorpusStory(ctx context.Context, seed uint64, dupChance float64) (*Story, error) {
	updates, security := Corpus("bookworm-updates_main_amd64_Packages.xz"), Corpus("bookworm-security_main_amd64_Packages.xz")
	pub := Publication{Duplicates: dupChance}
	aborted := Publication{Duplicates: dupChance, CommitOn: []int{0, 1}}
	return Tell(ctx, 4, seed, []Take{
		{Name: "updates-1", Repository: CorpusRepository, Sequence: 1, Index: updates, Publication: pub},
		{Name: "security-2", Repository: CorpusRepository, Sequence: 2, After: "updates-1", Index: security, Publication: pub},
		{Name: "updates-3", Repository: CorpusRepository, Sequence: 3, After: "security-2", Index: updates, Publication: aborted},
		{Name: "updates-4", Repository: CorpusRepository, Sequence: 4, After: "security-2", Index: updates, Publication: pub},
	})
}
