package chdb

import (
	"fmt"
	"strings"
)

// splitStatements cuts a migration file into statements at the semicolons
// that lie outside string literals ('…'), quoted identifiers ("…", `…`) and
// comments (-- to end of line, /* … */). Comments are dropped, statements
// are trimmed, and empty ones are left out. An unterminated literal or
// comment is an error: the file is cut short or wrong.
func splitStatements(sql string) ([]string, error) {
	var (
		stmts []string
		cur   strings.Builder
	)
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			stmts = append(stmts, s)
		}
		cur.Reset()
	}
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == ';':
			flush()
			i++
		case c == '\'' || c == '"' || c == '`':
			end, err := quotedEnd(sql, i)
			if err != nil {
				return nil, err
			}
			cur.WriteString(sql[i:end])
			i = end
		case strings.HasPrefix(sql[i:], "--"):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				end = len(sql) - i
			}
			cur.WriteByte(' ')
			i += end
		case strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("comment opened at byte %d is not closed", i)
			}
			cur.WriteByte(' ')
			i += 2 + end + 2
		default:
			cur.WriteByte(c)
			i++
		}
	}
	flush()
	return stmts, nil
}

// quotedEnd returns the index just past the literal or quoted identifier
// opened at sql[start]. A backslash escapes the next byte; a doubled quote
// reads as two adjacent literals, which splits the same way.
func quotedEnd(sql string, start int) (int, error) {
	quote := sql[start]
	for i := start + 1; i < len(sql); i++ {
		switch sql[i] {
		case '\\':
			i++
		case quote:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("%c opened at byte %d is not closed", quote, start)
}
