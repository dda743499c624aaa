package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/repodelta/repodelta/events"
)

// Config is the YAML configuration file.
type Config struct {
	// Repositories are ingested in the order listed.
	Repositories []Repository `yaml:"repositories"`
	// HashSeed is the hashing seed of package checksums (default 0).
	// Changing it makes the next ingest re-emit every package as changed.
	HashSeed uint64 `yaml:"hash_seed"`
	// MaxRemovalShare is the largest share of a repository's packages one
	// snapshot may remove unless forced (default 0.5; 1 disables the check).
	MaxRemovalShare *float64 `yaml:"max_removal_share"`
	// Topic is the Kafka topic of package events (default
	// "repodelta.package-events").
	Topic string `yaml:"topic"`
	// Partitions is the partition count the topic is created with
	// (default 8).
	Partitions int `yaml:"partitions"`
}

// Repository is one repository to ingest.
type Repository struct {
	// Name is the operator's label, unique in the file (required).
	Name string `yaml:"name"`
	// Family groups repositories of one distribution family: debian,
	// ubuntu, … (required).
	Family string `yaml:"family"`
	// Distribution defaults to Family.
	Distribution string `yaml:"distribution"`
	// Format of the index: "debian" (required).
	Format string `yaml:"format"`
	// Release, Component and Architecture identify the repository
	// (bookworm, main, amd64); required.
	Release      string `yaml:"release"`
	Component    string `yaml:"component"`
	Architecture string `yaml:"architecture"`
	// Source is the index file's path (required).
	Source string `yaml:"source"`
	// InRelease, when set, is a Release/InRelease file whose SHA256 list the
	// decompressed index must match, under IndexPath (default
	// "<component>/binary-<architecture>/Packages").
	InRelease string `yaml:"inrelease"`
	IndexPath string `yaml:"index_path"`
	// MinPackages refuses a snapshot with fewer packages (default 0: no
	// limit).
	MinPackages int `yaml:"minpackages"`
}

// Defaults.
const (
	DefaultTopic           = "repodelta.package-events"
	DefaultPartitions      = 8
	DefaultMaxRemovalShare = 0.5
)

// Load reads and validates the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("reading config %s: %w", path, err)
	}
	return c, nil
}

// Parse decodes and validates a configuration; unknown keys are errors.
func Parse(data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // empty file: zero Config
		return nil, fmt.Errorf("decoding YAML: %w", err)
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Config) applyDefaults() {
	if c.Topic == "" {
		c.Topic = DefaultTopic
	}
	if c.Partitions == 0 {
		c.Partitions = DefaultPartitions
	}
	if c.MaxRemovalShare == nil {
		v := DefaultMaxRemovalShare
		c.MaxRemovalShare = &v
	}
	for i := range c.Repositories {
		r := &c.Repositories[i]
		if r.Distribution == "" {
			r.Distribution = r.Family
		}
		if r.IndexPath == "" && r.Component != "" && r.Architecture != "" {
			r.IndexPath = r.Component + "/binary-" + r.Architecture + "/Packages"
		}
	}
}

// Validate reports every problem at once.
func (c *Config) Validate() error {
	var errs []error
	if c.Partitions < 1 {
		errs = append(errs, fmt.Errorf("partitions: %d is not positive", c.Partitions))
	}
	if s := *c.MaxRemovalShare; s <= 0 || s > 1 {
		errs = append(errs, fmt.Errorf("max_removal_share: %v is not in (0, 1]", s))
	}
	seen := map[string]bool{}
	ids := map[string]string{}
	for i, r := range c.Repositories {
		where := fmt.Sprintf("repositories[%d]", i)
		if r.Name != "" {
			where += " (" + r.Name + ")"
		}
		for _, f := range []struct{ name, value string }{
			{"name", r.Name}, {"family", r.Family}, {"format", r.Format}, {"release", r.Release},
			{"component", r.Component}, {"architecture", r.Architecture}, {"source", r.Source},
		} {
			if strings.TrimSpace(f.value) == "" {
				errs = append(errs, fmt.Errorf("%s: %s is required", where, f.name))
			}
		}
		if r.Format != "" && r.Format != "debian" {
			errs = append(errs, fmt.Errorf("%s: format %q is not supported (debian)", where, r.Format))
		}
		if r.MinPackages < 0 {
			errs = append(errs, fmt.Errorf("%s: minpackages %d is negative", where, r.MinPackages))
		}
		if seen[r.Name] {
			errs = append(errs, fmt.Errorf("%s: name %q is used twice", where, r.Name))
		}
		seen[r.Name] = true
		id := r.Identity().ID()
		if other, dup := ids[id]; dup {
			errs = append(errs, fmt.Errorf("%s: same repository (%s) as %q", where, id, other))
		}
		ids[id] = r.Name
	}
	return errors.Join(errs...)
}

// Identity is the repository as events name it.
func (r Repository) Identity() events.Repository {
	return events.Repository{
		Name: r.Name, Family: r.Family, Distribution: r.Distribution,
		Release: r.Release, Component: r.Component, Architecture: r.Architecture,
	}
}

// Find returns the repository named name.
func (c *Config) Find(name string) (Repository, error) {
	for _, r := range c.Repositories {
		if r.Name == name {
			return r, nil
		}
	}
	names := make([]string, len(c.Repositories))
	for i, r := range c.Repositories {
		names[i] = r.Name
	}
	return Repository{}, fmt.Errorf("no repository named %q (configured: %s)", name, strings.Join(names, ", "))
}
