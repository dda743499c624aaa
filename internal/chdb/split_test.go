package chdb

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitStatements(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []string
	}{
		{"one statement without a semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"statements are cut at semicolons and trimmed", "SELECT 1;\n  SELECT 2 ;\n", []string{"SELECT 1", "SELECT 2"}},
		{"empty statements are left out", ";;  ;\nSELECT 1;;", []string{"SELECT 1"}},
		{"a semicolon in a string literal stays", "SELECT 'a;b'; SELECT 2", []string{"SELECT 'a;b'", "SELECT 2"}},
		{"an escaped quote does not end the literal", `SELECT 'it\'s;'; SELECT 2`, []string{`SELECT 'it\'s;'`, "SELECT 2"}},
		{"a doubled quote does not end the literal", "SELECT 'it''s;'; SELECT 2", []string{"SELECT 'it''s;'", "SELECT 2"}},
		{"a semicolon in quoted identifiers stays", "SELECT 1 AS `a;b`, 2 AS \"c;d\"", []string{"SELECT 1 AS `a;b`, 2 AS \"c;d\""}},
		{"line comments are dropped", "-- head; note\nSELECT 1 -- tail;\n;", []string{"SELECT 1"}},
		{"block comments are dropped", "/* a;\nb */SELECT /* c; */ 1", []string{"SELECT   1"}},
		{"comment markers inside literals are text", "SELECT '--;/*'", []string{"SELECT '--;/*'"}},
		{"a file of comments has no statements", "-- nothing\n/* here */\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := splitStatements(tt.sql)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSplitStatementsRefusesUnterminatedText(t *testing.T) {
	tests := []struct {
		name, sql, wantErr string
	}{
		{"an open string literal", "SELECT 'abc", "' opened at byte 7"},
		{"an open quoted identifier", "SELECT `abc", "` opened at byte 7"},
		{"an escape at the very end", `SELECT 'abc\`, "' opened at byte 7"},
		{"an open block comment", "SELECT 1 /* abc", "comment opened at byte 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := splitStatements(tt.sql)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func FuzzSplitStatements(f *testing.F) {
	for _, seed := range []string{"SELECT 1; SELECT 2", "SELECT 'a;b' -- c\n", "/* x */ `y;`"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		stmts, err := splitStatements(sql)
		if err != nil {
			return
		}
		for _, s := range stmts {
			assert.NotEmpty(t, s)
		}
	})
}
