package pipeline_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/internal/bus"
	"github.com/repodelta/repodelta/internal/config"
	"github.com/repodelta/repodelta/internal/pipeline"
)

// The recorded logs testdata/log-v1.jsonl and testdata/log-v2.jsonl hold
// the same three snapshots of one repository, as a version 1 producer and
// a version 2 producer wrote them: one record a line, with its partition,
// key, headers and raw value. Regenerate them with
//
//	go test ./internal/pipeline -run TestGenerateRecordedLogs -generate-logs
//
// which ingests three indexes cut from the corpus (see fixtureSnapshots)
// with today's producer, reads the topic back, and writes each record as
// is (version 2) and re-encoded in schema version 1 (encodeV1). Version 1
// is a format of the past: the file is kept as recorded, not regenerated
// on every change.
var generateLogs = flag.Bool("generate-logs", false, "regenerate testdata/log-v*.jsonl")

// record is one line of a recorded log.
type record struct {
	Partition int               `json:"partition"`
	Key       string            `json:"key"`
	Headers   map[string]string `json:"headers,omitempty"`
	Value     json.RawMessage   `json:"value"`
}

func TestARecordedVersion1LogReplaysIntoTheSameTables(t *testing.T) {
	e := newEnv(t)
	v1, v2 := readLog(t, "log-v1.jsonl"), readLog(t, "log-v2.jsonl")
	require.Len(t, v1, len(v2))
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, l := range []struct {
		suffix string
		log    []record
	}{{"_v1", v1}, {"_v2", v2}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- replayLog(t, e, l.suffix, l.log)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	t.Logf("both logs (%d records each) projected in %s", len(v1), time.Since(start).Round(time.Millisecond))
	assertSameViews(t, e.conn, e.opts.Database+"_v2", e.opts.Database+"_v1", append(currentViews, historyViews...))
}

// replayLog publishes log raw to a topic of its own and projects it with
// all four projections into a database of its own (e's, with suffix).
func replayLog(t *testing.T, e *env, suffix string, log []record) error {
	ctx := context.Background()
	topic, db := e.topic+suffix, e.opts.Database+suffix
	if err := e.conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+db); err != nil {
		return err
	}
	t.Cleanup(func() { _ = e.conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db) })
	if err := bus.EnsureTopic(ctx, e.opts.KafkaBrokers, topic, 4); err != nil {
		return err
	}
	// A transport of its own: the default one may hold metadata from before
	// the topic existed (see internal/bus).
	w := &kafka.Writer{Addr: kafka.TCP(e.opts.KafkaBrokers...), Topic: topic, RequiredAcks: kafka.RequireAll, Transport: &kafka.Transport{},
		Balancer: kafka.BalancerFunc(func(m kafka.Message, _ ...int) int { return m.Partition })}
	msgs := make([]kafka.Message, len(log))
	for i, r := range log {
		msgs[i] = kafka.Message{Partition: r.Partition, Key: []byte(r.Key), Value: r.Value}
		for k, v := range r.Headers {
			msgs[i].Headers = append(msgs[i].Headers, kafka.Header{Key: k, Value: []byte(v)})
		}
	}
	err := w.WriteMessages(ctx, msgs...)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("publishing the recorded log to %s: %w", topic, err)
	}
	o := e.opts
	o.Database = db
	cfg := &config.Config{Topic: topic, Partitions: 4}
	var s pipeline.Services
	defer s.Close()
	return pipeline.Project(ctx, o, &s, cfg, nil, true, nil)
}

func readLog(t *testing.T, name string) []record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	var out []record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r record
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		out = append(out, r)
	}
	require.NoError(t, sc.Err())
	return out
}

// encodeV1 re-encodes a version 2 event as a version 1 producer wrote it:
// maintainer and uploaders as raw strings, the homepage and one version
// control link (with its browser) as fields of their own. It fails on a
// package version 1 could not carry.
func encodeV1(value []byte) ([]byte, error) {
	e, err := events.Decode(value)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(value, &m); err != nil {
		return nil, err
	}
	m["schema_version"] = 1
	if e.Package != nil {
		pkg := m["package"].(map[string]any)
		delete(pkg, "links")
		delete(pkg, "uploaders")
		pkg["maintainer"] = e.Package.Maintainer.String()
		var ups []string
		for _, u := range e.Package.Uploaders {
			ups = append(ups, u.String())
		}
		if len(ups) > 0 {
			pkg["uploaders"] = strings.Join(ups, ", ")
		}
		for _, l := range e.Package.Links {
			switch {
			case l.Kind == events.LinkHomepage:
				pkg["homepage"] = l.URL
			case l.Kind == "vcs-browser":
				pkg["vcs_browser"] = l.URL
			case strings.HasPrefix(l.Kind, "vcs-"):
				pkg["vcs_type"], pkg["vcs_url"] = strings.TrimPrefix(l.Kind, "vcs-"), l.URL
			}
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	back, err := events.Decode(out)
	if err != nil {
		return nil, err
	}
	if a, b := fmt.Sprintf("%+v", back.Package), fmt.Sprintf("%+v", e.Package); e.Package != nil && a != b {
		return nil, fmt.Errorf("%s does not survive version 1:\n%s\n%s", e.ID(), b, a)
	}
	return out, nil
}
