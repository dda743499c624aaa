package debian_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/repodelta/repodelta/producers"
	"github.com/repodelta/repodelta/producers/debian"
)

// FuzzScan: no input makes the parser panic or hang, and every failure is
// a *ParseError naming the file and a line within the input.
func FuzzScan(f *testing.F) {
	for _, p := range []string{"testdata/Packages", "testdata/Sources"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Package: a\nVersion: 1\nArchitecture: all\n\nPackage: a\nVersion: 2\nArchitecture: all\n"))
	f.Add([]byte("Package: a\r\nVersion: 1\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lines := strings.Count(string(b), "\n") + 1
		err := debian.Scan(context.Background(), strings.NewReader(string(b)), "fuzz", debian.Options{BlockSize: 64, MaxStanza: 1 << 12},
			func(e *producers.Entry) error {
				if e.Key == "" || e.Project == "" && e.Package.SourceName != "" {
					t.Fatalf("entry without identity: %+v", e)
				}
				return nil
			})
		if err == nil {
			return
		}
		var pe *debian.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error without a place: %v", err)
		}
		if pe.File != "fuzz" || pe.Line < 1 || pe.Line > lines {
			t.Fatalf("error at %s:%d, input has %d lines: %v", pe.File, pe.Line, lines, err)
		}
	})
}
