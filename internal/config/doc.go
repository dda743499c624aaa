// Package config reads repodelta's YAML configuration: the repositories to
// ingest and the pipeline's settings. Validate reports every problem at
// once, naming the entry and field.
package config
