package schemas

import "embed"

// Events holds the JSON Schema of every event type and schema version, as
// events/<type>.v<version>.json.
//
//go:embed events/*.json
var Events embed.FS
