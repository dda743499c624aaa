package packages

import (
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/events"
)

// column is one column of packages_pending being built for an insert:
// its name, how its value is read from an event, and the values so far.
type column interface {
	name() string
	add(e *events.Envelope, p *events.Package)
	send(c driver.BatchColumn) error
	reset()
	grow(n int)
}

// typed is a column of Go type T.
type typed[T any] struct {
	col    string
	get    func(e *events.Envelope, p *events.Package) T
	values []T
}

func col[T any](name string, get func(e *events.Envelope, p *events.Package) T) column {
	return &typed[T]{col: name, get: get}
}

func (c *typed[T]) name() string { return c.col }

func (c *typed[T]) add(e *events.Envelope, p *events.Package) {
	c.values = append(c.values, c.get(e, p))
}

func (c *typed[T]) send(b driver.BatchColumn) error { return b.Append(c.values) }

// reset empties the column, keeping its buffer but none of its values.
func (c *typed[T]) reset() {
	clear(c.values)
	c.values = c.values[:0]
}

func (c *typed[T]) grow(n int) { c.values = slices.Grow(c.values, n) }

// grow makes room for n more values in every column.
func grow(cols []column, n int) {
	for _, c := range cols {
		c.grow(n)
	}
}

// str is a String column read from the package payload.
func str(name string, get func(p *events.Package) string) column {
	return col(name, func(_ *events.Envelope, p *events.Package) string { return get(p) })
}

// pendingColumns returns the columns of packages_pending, in the order of
// the insert's column list; each call returns fresh buffers.
func pendingColumns() []column {
	return []column{
		col("repository_id", func(e *events.Envelope, _ *events.Package) string { return e.Repository.ID() }),
		col("sequence", func(e *events.Envelope, _ *events.Package) uint64 { return e.Sequence }),
		col("key", func(e *events.Envelope, _ *events.Package) string { return e.Key }),
		col("event", func(e *events.Envelope, _ *events.Package) string {
			return strings.TrimPrefix(string(e.Type), "package.")
		}),
		col("repository", func(e *events.Envelope, _ *events.Package) string { return e.Repository.Name }),
		col("family", func(e *events.Envelope, _ *events.Package) string { return e.Repository.Family }),
		col("distribution", func(e *events.Envelope, _ *events.Package) string { return e.Repository.Distribution }),
		col("release", func(e *events.Envelope, _ *events.Package) string { return e.Repository.Release }),
		col("component", func(e *events.Envelope, _ *events.Package) string { return e.Repository.Component }),
		col("architecture", func(e *events.Envelope, _ *events.Package) string { return e.Repository.Architecture }),
		col("snapshot_time", func(e *events.Envelope, _ *events.Package) time.Time { return e.SnapshotTime.UTC() }),
		col("project", func(e *events.Envelope, _ *events.Package) string { return e.Project }),
		col("checksum", func(e *events.Envelope, _ *events.Package) uint64 { return uint64(e.Checksum) }),
		col("previous_version", func(e *events.Envelope, _ *events.Package) string { return previous(e).Version }),
		col("previous_checksum", func(e *events.Envelope, _ *events.Package) uint64 { return uint64(previous(e).Checksum) }),
		str("name", func(p *events.Package) string { return p.Name }),
		str("version", func(p *events.Package) string { return p.Version }),
		str("package_architecture", func(p *events.Package) string { return p.Architecture }),
		str("kind", func(p *events.Package) string { return string(p.Kind) }),
		str("source_name", func(p *events.Package) string { return p.SourceName }),
		str("source_version", func(p *events.Package) string { return p.SourceVersion }),
		str("maintainer_name", func(p *events.Package) string { return p.Maintainer.Name }),
		str("maintainer_email", func(p *events.Package) string { return p.Maintainer.Email }),
		col("uploaders", func(_ *events.Envelope, p *events.Package) []string { return people(p.Uploaders) }),
		str("homepage", (*events.Package).Homepage),
		col("vcs_kinds", func(_ *events.Envelope, p *events.Package) []string {
			return vcs(p.Links, func(l events.Link) string { return l.Kind })
		}),
		col("vcs_urls", func(_ *events.Envelope, p *events.Package) []string {
			return vcs(p.Links, func(l events.Link) string { return l.URL })
		}),
		str("section", func(p *events.Package) string { return p.Section }),
		str("priority", func(p *events.Package) string { return p.Priority }),
		str("summary", func(p *events.Package) string { return p.Summary }),
		col("installed_size", func(_ *events.Envelope, p *events.Package) uint64 { return p.InstalledSize }),
		col("size", func(_ *events.Envelope, p *events.Package) uint64 { return p.Size }),
		str("filename", func(p *events.Package) string { return p.Filename }),
		str("sha256", func(p *events.Package) string { return p.SHA256 }),
		str("multi_arch", func(p *events.Package) string { return p.MultiArch }),
		col("essential", func(_ *events.Envelope, p *events.Package) uint8 { return boolByte(p.Essential) }),
		col("tags", func(_ *events.Envelope, p *events.Package) []string { return list(p.Tags) }),
		col("binaries", func(_ *events.Envelope, p *events.Package) []string { return list(p.Binaries) }),
		str("depends", func(p *events.Package) string { return p.Relations.Depends }),
		str("pre_depends", func(p *events.Package) string { return p.Relations.PreDepends }),
		str("recommends", func(p *events.Package) string { return p.Relations.Recommends }),
		str("suggests", func(p *events.Package) string { return p.Relations.Suggests }),
		str("enhances", func(p *events.Package) string { return p.Relations.Enhances }),
		str("provides", func(p *events.Package) string { return p.Relations.Provides }),
		str("conflicts", func(p *events.Package) string { return p.Relations.Conflicts }),
		str("breaks", func(p *events.Package) string { return p.Relations.Breaks }),
		str("replaces", func(p *events.Package) string { return p.Relations.Replaces }),
		str("build_depends", func(p *events.Package) string { return p.Relations.BuildDeps }),
	}
}

var noPrevious events.Previous

func previous(e *events.Envelope) *events.Previous {
	if e.Previous == nil {
		return &noPrevious
	}
	return e.Previous
}

func people(ps []events.Person) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// vcs returns get of every link but the homepage, in the event's order.
func vcs(links []events.Link, get func(events.Link) string) []string {
	out := make([]string, 0, len(links))
	for _, l := range links {
		if l.Kind != events.LinkHomepage {
			out = append(out, get(l))
		}
	}
	return out
}

// list returns ss, or an empty list for nil.
func list(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
