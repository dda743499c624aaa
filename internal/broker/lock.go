package broker

import "errors"

// lockFile is the file a persistent broker locks in its data directory.
const lockFile = "repodelta-broker.lock"

// ErrDataDirInUse is returned by Start when another broker, in this process
// or another, already uses the data directory.
var ErrDataDirInUse = errors.New("data directory is in use by another broker")
