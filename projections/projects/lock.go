package projects

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/repodelta/repodelta/internal/chdb"
)

// The promotion lock: one promoter at a time per database, across
// processes (see "One promoter at a time" in the package documentation).
// ClickHouse has no transactions, but on one server a CREATE TABLE of a
// name that exists fails (TABLE_ALREADY_EXISTS) and concurrent DDL on one
// name is serialised: creating the table projects_promoter is taking the
// lock, dropping it is releasing it. The holder writes a heartbeat row
// into it while it holds it; a lock whose rows have not changed for
// lockTTL, as a waiter sees it on its own clock, is stale (its holder
// died) and is broken by renaming it away, which only one waiter can do.

const (
	lockTable    = "projects_promoter"
	lockTTL      = 30 * time.Second
	lockBeat     = 5 * time.Second
	lockPollMin  = 50 * time.Millisecond
	lockPollMax  = time.Second
	tableExists  = 57 // TABLE_ALREADY_EXISTS
	tableMissing = 60 // UNKNOWN_TABLE
)

// promoterLock is a held promotion lock.
type promoterLock struct {
	database string
	holder   string
	stop     chan struct{}
	done     chan struct{}
}

// lock takes the promotion lock of the projection's database, waiting for
// as long as ctx allows while another process holds it. The caller calls
// unlock when its promotions are done.
func (p *Projection) lock(ctx context.Context, conn driver.Conn) (*promoterLock, error) {
	l := &promoterLock{database: p.database, holder: holderID(), stop: make(chan struct{}), done: make(chan struct{})}
	var seen lockState
	wait := lockPollMin
	for {
		err := conn.Exec(ctx, "CREATE TABLE "+l.table()+" ENGINE = Log AS SELECT toString(?) AS holder, now() AS beat", l.holder)
		if err == nil {
			go l.beat(conn)
			return l, nil
		}
		if code, ok := chdb.ExceptionCode(err); !ok || code != tableExists {
			return nil, fmt.Errorf("taking the promotion lock of %s: %w", p.database, err)
		}
		if err := l.breakIfStale(ctx, conn, &seen); err != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, lockPollMax)
	}
}

// lockState is what a waiter last saw of a held lock, and since when.
type lockState struct {
	rows  uint64
	beat  time.Time
	since time.Time
}

// breakIfStale breaks the lock when its rows have not changed for lockTTL
// since the waiter first saw them so.
func (l *promoterLock) breakIfStale(ctx context.Context, conn driver.Conn, seen *lockState) error {
	var now lockState
	err := conn.QueryRow(ctx, "SELECT count(), max(beat) FROM "+l.table()).Scan(&now.rows, &now.beat)
	if code, ok := chdb.ExceptionCode(err); ok && code == tableMissing {
		return nil // released meanwhile
	}
	if err != nil {
		return fmt.Errorf("reading the promotion lock of %s: %w", l.database, err)
	}
	if now.rows != seen.rows || !now.beat.Equal(seen.beat) || seen.since.IsZero() {
		now.since = time.Now()
		*seen = now
		return nil
	}
	if time.Since(seen.since) < lockTTL {
		return nil
	}
	stale := l.table() + "_stale_" + l.holder
	err = conn.Exec(ctx, "RENAME TABLE "+l.table()+" TO "+stale)
	if code, ok := chdb.ExceptionCode(err); ok && code == tableMissing {
		return nil // another waiter broke it, or its holder released it
	}
	if err != nil {
		return fmt.Errorf("breaking the stale promotion lock of %s: %w", l.database, err)
	}
	*seen = lockState{}
	if err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+stale); err != nil {
		return fmt.Errorf("dropping the stale promotion lock of %s: %w", l.database, err)
	}
	return nil
}

// beat adds a heartbeat row every lockBeat until unlock.
func (l *promoterLock) beat(conn driver.Conn) {
	defer close(l.done)
	tick := time.NewTicker(lockBeat)
	defer tick.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), lockBeat)
			// A failed beat is not fatal: the next one, or the promotion's own
			// errors, will tell.
			_ = conn.Exec(ctx, "INSERT INTO "+l.table()+" (holder, beat) SELECT toString(?), now()", l.holder)
			cancel()
		}
	}
}

// unlock stops the heartbeat and drops the lock if it is still this
// holder's (it is not if it was broken as stale and taken by another).
func (l *promoterLock) unlock(ctx context.Context, conn driver.Conn) error {
	close(l.stop)
	<-l.done
	var holder string
	err := conn.QueryRow(ctx, "SELECT any(holder) FROM "+l.table()).Scan(&holder)
	if code, ok := chdb.ExceptionCode(err); ok && code == tableMissing {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the promotion lock of %s: %w", l.database, err)
	}
	if holder != l.holder {
		return nil
	}
	if err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+l.table()); err != nil {
		return fmt.Errorf("releasing the promotion lock of %s: %w", l.database, err)
	}
	return nil
}

func (l *promoterLock) table() string { return l.database + "." + lockTable }

// holderID names a lock holder: host, process and a random part, in
// characters a table name may hold.
func holderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := fmt.Sprintf("%s_%d_%s", host, os.Getpid(), hex.EncodeToString(b))
	out := []byte(name)
	for i, c := range out {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			out[i] = '_'
		}
	}
	return string(out)
}
