package broker

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// listenerFile is where a persistent broker remembers its port, in its data
// directory beside kfake's own files.
const listenerFile = "repodelta-listener.json"

type listenerState struct {
	Port int `json:"port"`
}

// readPort returns the port remembered in dir, or 0 when there is none.
func readPort(dir string) (int, error) {
	path := filepath.Join(dir, listenerFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading remembered port: %w", err)
	}
	var st listenerState
	if err := json.Unmarshal(raw, &st); err != nil {
		return 0, fmt.Errorf("parsing remembered port in %s: %w", path, err)
	}
	if st.Port <= 0 || st.Port > 65535 {
		return 0, fmt.Errorf("parsing remembered port in %s: port %d is outside 1-65535", path, st.Port)
	}
	return st.Port, nil
}

// rememberListener records the port of addr in dir, atomically.
func rememberListener(dir, addr string) error {
	port, err := portOf(addr)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(listenerState{Port: port})
	if err != nil {
		return fmt.Errorf("encoding remembered port: %w", err)
	}
	path := filepath.Join(dir, listenerFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return fmt.Errorf("remembering port %d: %w", port, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("remembering port %d: %w", port, errors.Join(err, removeIfExists(tmp)))
	}
	return nil
}

// RunningAddr returns the address of a broker another process runs on
// dataDir, when the directory is locked by it and its port answers: a
// second command (status, project) then talks to that broker instead of
// starting its own.
func RunningAddr(dataDir string) (string, bool) {
	port, err := readPort(dataDir)
	if err != nil || port == 0 {
		return "", false
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", false
	}
	conn.Close()
	return addr, true
}
