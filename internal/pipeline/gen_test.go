package pipeline_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/internal/pipeline"
	"github.com/repodelta/repodelta/producers/input"
)

// fixtureSnapshots cuts three indexes of one repository from the corpus:
// bookworm-updates with the first 120 stanzas of bookworm-security; then
// 20 of those gone, 40 new and every 7th of the rest at a new version;
// then 10 more gone and every 5th at another version.
func fixtureSnapshots(t *testing.T) [3]string {
	updates, security := stanzas(t, "bookworm-updates_main_amd64_Packages.xz"), stanzas(t, "bookworm-security_main_amd64_Packages.xz")
	bump := func(list []string, every int, suffix string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = s
			if i%every == 3 {
				lines := strings.Split(s, "\n")
				for j, l := range lines {
					if strings.HasPrefix(l, "Version: ") {
						lines[j] = l + suffix
					}
				}
				out[i] = strings.Join(lines, "\n")
			}
		}
		return out
	}
	s1 := append(append([]string{}, updates...), security[:120]...)
	s2 := append(append([]string{}, updates...), bump(security[20:160], 7, "+r1")...)
	s3 := append(append([]string{}, updates[10:]...), bump(bump(security[20:160], 7, "+r1"), 5, "+r2")...)
	var out [3]string
	for i, s := range [][]string{s1, s2, s3} {
		out[i] = filepath.Join(t.TempDir(), "Packages")
		require.NoError(t, os.WriteFile(out[i], []byte(strings.Join(s, "\n\n")+"\n"), 0o644))
	}
	return out
}

func stanzas(t *testing.T, name string) []string {
	f, err := input.Open(context.Background(), corpus(name), input.Options{})
	require.NoError(t, err)
	defer f.Close()
	b, err := io.ReadAll(f)
	require.NoError(t, err)
	return strings.Split(strings.TrimSpace(string(b)), "\n\n")
}

func TestGenerateRecordedLogs(t *testing.T) {
	if !*generateLogs {
		t.Skip("regenerates testdata/log-v*.jsonl with -generate-logs")
	}
	e := newEnv(t)
	var s pipeline.Services
	defer s.Close()
	for _, src := range fixtureSnapshots(t) {
		_, err := pipeline.Ingest(context.Background(), e.opts, &s, e.config(src), nil, false)
		require.NoError(t, err)
	}
	var v1, v2 []string
	for p := range 4 {
		for _, m := range readPartition(t, e, p) {
			r := record{Partition: p, Key: string(m.Key), Value: m.Value}
			for _, h := range m.Headers {
				if r.Headers == nil {
					r.Headers = map[string]string{}
				}
				r.Headers[h.Key] = string(h.Value)
			}
			line, err := json.Marshal(r)
			require.NoError(t, err)
			v2 = append(v2, string(line))
			r.Value, err = encodeV1(m.Value)
			require.NoError(t, err)
			line, err = json.Marshal(r)
			require.NoError(t, err)
			v1 = append(v1, string(line))
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join("testdata", "log-v1.jsonl"), []byte(strings.Join(v1, "\n")+"\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join("testdata", "log-v2.jsonl"), []byte(strings.Join(v2, "\n")+"\n"), 0o644))
}

func readPartition(t *testing.T, e *env, p int) []kafka.Message {
	conn, err := kafka.DialLeader(context.Background(), "tcp", e.opts.KafkaBrokers[0], e.topic, p)
	require.NoError(t, err)
	first, last, err := conn.ReadOffsets()
	conn.Close()
	require.NoError(t, err)
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: e.opts.KafkaBrokers, Topic: e.topic, Partition: p, MaxBytes: 16 << 20})
	defer r.Close()
	require.NoError(t, r.SetOffset(first))
	var out []kafka.Message
	for off := first; off < last; off++ {
		m, err := r.ReadMessage(context.Background())
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}
