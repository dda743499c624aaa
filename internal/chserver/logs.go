package chserver

import (
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tailBytes is how much of a log an error quotes at most.
const tailBytes = 4 << 10

// logFileMark is a log file and its size before a run began, so that a
// failure quotes this run's lines and not an older run's.
type logFileMark struct {
	path   string
	offset int64
}

// logMark marks the logs a failed start is explained by: the server's
// error log and its console output.
type logMark struct {
	errors  logFileMark
	console logFileMark
}

// markLogs records where the logs under dataDir end now.
func markLogs(dataDir string) logMark {
	mark := func(name string) logFileMark {
		path := filepath.Join(dataDir, logDir, name)
		m := logFileMark{path: path}
		if fi, err := os.Stat(path); err == nil {
			m.offset = fi.Size()
		}
		return m
	}
	return logMark{errors: mark(errLogFile), console: mark(consoleFile)}
}

// tail returns the end of what this run wrote to its error log and console.
func (m logMark) tail() string {
	var parts []string
	for _, f := range []logFileMark{m.errors, m.console} {
		if t := f.tail(); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

// tail returns at most tailBytes of what was appended after the mark. A
// log that cannot be read (or was rotated) gives what can be had, or "".
func (f logFileMark) tail() string {
	file, err := os.Open(f.path)
	if err != nil {
		return ""
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return ""
	}
	start := f.offset
	if fi.Size() < start {
		start = 0 // rotated since the mark
	}
	if fi.Size()-start > tailBytes {
		start = fi.Size() - tailBytes
	}
	buf, err := io.ReadAll(io.NewSectionReader(file, start, fi.Size()-start))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(buf))
}
