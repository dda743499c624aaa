package events_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repodelta/repodelta/events"
	"github.com/repodelta/repodelta/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestEncodeMatchesGoldenFiles(t *testing.T) {
	for typ, e := range examples() {
		t.Run(string(typ), func(t *testing.T) {
			got, err := events.Encode(e)
			require.NoError(t, err)
			var pretty bytes.Buffer
			require.NoError(t, json.Indent(&pretty, got, "", "  "))
			pretty.WriteByte('\n')
			path := filepath.Join("testdata", "golden", string(typ)+".json")
			if *update {
				require.NoError(t, os.WriteFile(path, pretty.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(want), pretty.String())
		})
	}
}

func TestDecodeRoundTrips(t *testing.T) {
	for typ, e := range examples() {
		t.Run(string(typ), func(t *testing.T) {
			b, err := events.Encode(e)
			require.NoError(t, err)
			got, err := events.Decode(b)
			require.NoError(t, err)
			assert.Equal(t, e, got)
		})
	}
}

func TestVersion1EventsUpcastToTheSameEvents(t *testing.T) {
	for typ, want := range examples() {
		t.Run(string(typ), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "v1", string(typ)+".json"))
			require.NoError(t, err)
			got, err := events.Decode(b)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestEveryEventMatchesItsJSONSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	for _, version := range []string{"v1", "v2"} {
		dir := map[string]string{"v1": "v1", "v2": "golden"}[version]
		for _, typ := range events.Types {
			t.Run(string(typ)+"."+version, func(t *testing.T) {
				name := "events/" + string(typ) + "." + version + ".json"
				raw, err := schemas.Events.ReadFile(name)
				require.NoError(t, err)
				doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
				require.NoError(t, err)
				require.NoError(t, c.AddResource(name, doc))
				sch, err := c.Compile(name)
				require.NoError(t, err)
				f, err := os.Open(filepath.Join("testdata", dir, string(typ)+".json"))
				require.NoError(t, err)
				defer f.Close()
				inst, err := jsonschema.UnmarshalJSON(f)
				require.NoError(t, err)
				assert.NoError(t, sch.Validate(inst))
			})
		}
	}
}

func TestDecodeRejectsInvalidEvents(t *testing.T) {
	cases := map[string]string{
		"not JSON at all":                    `{"type":`,
		"an unknown type":                    `{"type":"package.exploded","schema_version":2,"repository":{"family":"debian"},"sequence":1}`,
		"an unknown schema version":          `{"type":"package.appeared","schema_version":9,"repository":{"family":"debian"},"sequence":1}`,
		"a package event without a key":      `{"type":"package.disappeared","schema_version":2,"repository":{"family":"debian"},"sequence":1,"project":"p","previous":{"version":"1","checksum":"0000000000000000"}}`,
		"an appeared event without package":  `{"type":"package.appeared","schema_version":2,"repository":{"family":"debian"},"sequence":1,"key":"k","project":"p"}`,
		"a marker without its payload":       `{"type":"snapshot.committed","schema_version":2,"repository":{"family":"debian"},"sequence":1}`,
		"a sequence of zero":                 `{"type":"snapshot.started","schema_version":2,"repository":{"family":"debian"},"sequence":0,"marker":{}}`,
		"a malformed checksum":               `{"type":"package.disappeared","schema_version":2,"repository":{"family":"debian"},"sequence":1,"key":"k","project":"p","checksum":"xyz","previous":{"version":"1","checksum":"0000000000000000"}}`,
		"a version 1 event with bad payload": `{"type":"package.appeared","schema_version":1,"repository":{"family":"debian"},"sequence":1,"key":"k","project":"p","package":{"maintainer":7}}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := events.Decode([]byte(in))
			require.Error(t, err)
			assert.ErrorIs(t, err, events.ErrInvalid)
		})
	}
}

func TestEventIDsAreDeterministic(t *testing.T) {
	ex := examples()
	assert.Equal(t, "debian/debian/bookworm/main/amd64@7/zlib1g/amd64", ex[events.PackageAppeared].ID())
	assert.Equal(t, "debian/debian/bookworm/main/amd64@7!snapshot.committed#2", ex[events.SnapshotCommitted].ID())
	assert.Equal(t, ex[events.PackageAppeared].ID(), ex[events.PackageChanged].ID(), "one package, one snapshot, one identity")
}

func FuzzDecode(f *testing.F) {
	for _, e := range examples() {
		b, err := events.Encode(e)
		require.NoError(f, err)
		f.Add(b)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "v1", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := events.Decode(b)
		if err != nil {
			require.ErrorIs(t, err, events.ErrInvalid)
			return
		}
		again, err := events.Encode(e)
		require.NoError(t, err)
		e2, err := events.Decode(again)
		require.NoError(t, err)
		b1, _ := events.Encode(e2)
		require.Equal(t, string(again), string(b1), "encode(decode(x)) is a fixed point")
	})
}
