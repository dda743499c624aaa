package chserver

import (
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// RunningAddr returns the native address of a server another process runs
// on dataDir, when the config.xml there names a port that answers: a second
// command (status, project) then talks to that server instead of starting
// one of its own on data already in use.
func RunningAddr(dataDir string) (string, bool) {
	raw, err := os.ReadFile(filepath.Join(dataDir, configFile))
	if err != nil {
		return "", false
	}
	var cfg serverXML
	if err := xml.Unmarshal(raw, &cfg); err != nil || cfg.TCPPort == 0 {
		return "", false
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.TCPPort))
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", false
	}
	conn.Close()
	return addr, true
}
