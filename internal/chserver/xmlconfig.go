package chserver

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
)

// The layout of DataDir.
const (
	configFile  = "config.xml"
	usersFile   = "users.xml"
	logDir      = "log"
	logFile     = "clickhouse-server.log"
	errLogFile  = "clickhouse-server.err.log"
	consoleFile = "console.log"
)

// serverXML is config.xml: only keys that 18.16 and current releases share.
type serverXML struct {
	XMLName                 xml.Name  `xml:"yandex"`
	Logger                  loggerXML `xml:"logger"`
	ListenHost              string    `xml:"listen_host"`
	TCPPort                 int       `xml:"tcp_port"`
	HTTPPort                int       `xml:"http_port"`
	Path                    string    `xml:"path"`
	TmpPath                 string    `xml:"tmp_path"`
	UserFilesPath           string    `xml:"user_files_path"`
	FormatSchemaPath        string    `xml:"format_schema_path"`
	UsersConfig             string    `xml:"users_config"`
	DefaultProfile          string    `xml:"default_profile"`
	DefaultDatabase         string    `xml:"default_database"`
	Timezone                string    `xml:"timezone"`
	MarkCacheSize           int64     `xml:"mark_cache_size"`
	UncompressedCacheSize   int64     `xml:"uncompressed_cache_size"`
	MaxTableSizeToDrop      int64     `xml:"max_table_size_to_drop"`
	MaxPartitionSizeToDrop  int64     `xml:"max_partition_size_to_drop"`
	MaxConcurrentQueries    int       `xml:"max_concurrent_queries"`
	BuiltinDictionariesPoll int       `xml:"builtin_dictionaries_reload_interval"`
	ShutdownWaitUnfinished  int       `xml:"shutdown_wait_unfinished"`
}

type loggerXML struct {
	Level    string `xml:"level"`
	Log      string `xml:"log"`
	ErrorLog string `xml:"errorlog"`
	Size     string `xml:"size"`
	Count    int    `xml:"count"`
	Console  int    `xml:"console"`
}

// usersXML is users.xml: a passwordless "default" user reachable from
// loopback only, with an unlimited quota.
type usersXML struct {
	XMLName  xml.Name `xml:"yandex"`
	Profiles struct {
		Default struct {
			// PollInterval (seconds) is how often an idle connection's
			// handler looks for shutdown: 10 by default, which holds every
			// stop with a client connected for 10s.
			PollInterval int `xml:"poll_interval"`
		} `xml:"default"`
	} `xml:"profiles"`
	Users struct {
		Default struct {
			Password string   `xml:"password"`
			Networks []string `xml:"networks>ip"`
			Profile  string   `xml:"profile"`
			Quota    string   `xml:"quota"`
		} `xml:"default"`
	} `xml:"users"`
	Quotas struct {
		Default struct {
			Interval struct {
				Duration int `xml:"duration"`
			} `xml:"interval"`
		} `xml:"default"`
	} `xml:"quotas"`
}

// writeConfig creates the DataDir layout and writes config.xml and
// users.xml for the given ports.
func writeConfig(c Config, tcpPort, httpPort int) error {
	dir := c.DataDir
	for _, sub := range []string{"data", "tmp", "user_files", "format_schemas", logDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return fmt.Errorf("creating %s: %w", filepath.Join(dir, sub), err)
		}
	}
	server := serverXML{
		Logger: loggerXML{
			Level:    c.LogLevel,
			Log:      filepath.Join(dir, logDir, logFile),
			ErrorLog: filepath.Join(dir, logDir, errLogFile),
			Size:     "100M",
			Count:    3,
		},
		ListenHost:              "127.0.0.1",
		TCPPort:                 tcpPort,
		HTTPPort:                httpPort,
		Path:                    filepath.Join(dir, "data") + "/",
		TmpPath:                 filepath.Join(dir, "tmp") + "/",
		UserFilesPath:           filepath.Join(dir, "user_files") + "/",
		FormatSchemaPath:        filepath.Join(dir, "format_schemas") + "/",
		UsersConfig:             usersFile,
		DefaultProfile:          "default",
		DefaultDatabase:         "default",
		Timezone:                "UTC",
		MarkCacheSize:           256 << 20,
		UncompressedCacheSize:   256 << 20,
		MaxConcurrentQueries:    100,
		BuiltinDictionariesPoll: 3600,
		// Seconds a stopping server waits for open connections; idle
		// pooled ones would otherwise hold every stop for the default 5s.
		ShutdownWaitUnfinished: 1,
	}
	users := usersXML{}
	users.Profiles.Default.PollInterval = 1
	users.Users.Default.Networks = []string{"127.0.0.1", "::1"}
	users.Users.Default.Profile = "default"
	users.Users.Default.Quota = "default"
	users.Quotas.Default.Interval.Duration = 3600
	if err := writeXML(filepath.Join(dir, configFile), server); err != nil {
		return err
	}
	return writeXML(filepath.Join(dir, usersFile), users)
}

// writeXML writes v as an XML document, replacing path atomically.
func writeXML(path string, v any) error {
	body, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	doc := append([]byte(xml.Header), body...)
	doc = append(doc, '\n')
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, doc, 0o640); err != nil {
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return nil
}
