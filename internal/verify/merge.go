package verify

import (
	"context"
	"fmt"

	"errors"
	"sync"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Diff is one row that differs: Want nil is an extra row, Got nil a
// missing one.
type Diff struct {
	Check     string
	Group     string
	Key       []any
	Want, Got *Row
}

// Summary is one check's figures for one group (repository, or "" for the
// tables without one): rows and the sum of the rows' content checksums on
// both sides, and how many rows differ.
type Summary struct {
	Check             string
	Group             string
	WantRows, GotRows uint64
	WantChecksum      uint64
	GotChecksum       uint64
	Differences       uint64
}

// streamBuffer is how many rows each side may read ahead of the merge.
const streamBuffer = 1024

// compare streams both sides of c and merges them by key; onDiff is called
// with every differing row. Memory is bounded by the buffers and the
// summaries (one per group).
func compare(ctx context.Context, conn driver.Conn, db string, c *Check, onDiff func(Diff) error) (map[string]*Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	want, got := make(chan Row, streamBuffer), make(chan Row, streamBuffer)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	feed := func(s Stream, ch chan Row, side string, err *error) {
		defer wg.Done()
		defer close(ch)
		e := s(ctx, conn, db, func(r Row) error {
			select {
			case ch <- r:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if e != nil && ctx.Err() == nil {
			*err = fmt.Errorf("reading the %s rows of %s: %w", side, c.Name, e)
			cancel()
		}
	}
	wg.Add(2)
	go feed(c.Want, want, "recomputed", &errs[0])
	go feed(c.Got, got, "stored", &errs[1])
	sums := map[string]*Summary{}
	errs[2] = mergeSides(c, want, got, sums, onDiff)
	cancel()
	for range want { // let the feeders end
	}
	for range got {
	}
	wg.Wait()
	if err := errors.Join(errs[0], errs[1]); err != nil {
		return nil, err
	}
	if errs[2] != nil {
		return nil, errs[2]
	}
	return sums, nil
}

// mergeSides walks both ordered sides together.
func mergeSides(c *Check, want, got <-chan Row, sums map[string]*Summary, onDiff func(Diff) error) error {
	sum := func(r *Row) *Summary {
		gr := c.group(r)
		if sums[gr] == nil {
			sums[gr] = &Summary{Check: c.Name, Group: gr}
		}
		return sums[gr]
	}
	var lastWant, lastGot []any
	next := func(ch <-chan Row, last *[]any) (Row, bool, error) {
		r, ok := <-ch
		if !ok {
			return r, false, nil
		}
		k := c.key(&r)
		if *last != nil && compareKeys(k, *last) <= 0 {
			return r, false, fmt.Errorf("comparing %s: key %s after %s: rows not in key order", c.Name, renderKey(k), renderKey(*last))
		}
		*last = k
		return r, true, nil
	}
	w, wok, err := next(want, &lastWant)
	if err != nil {
		return err
	}
	g, gok, err := next(got, &lastGot)
	if err != nil {
		return err
	}
	for wok || gok {
		var d *Diff
		takeWant, takeGot := wok, gok
		if wok && gok {
			c := compareKeys(c.key(&w), c.key(&g))
			takeWant, takeGot = c <= 0, c >= 0
		}
		if takeWant {
			s := sum(&w)
			s.WantRows++
			s.WantChecksum += c.checksum(&w)
		}
		if takeGot {
			s := sum(&g)
			s.GotRows++
			s.GotChecksum += c.checksum(&g)
		}
		switch {
		case takeWant && takeGot:
			if c.content(&w) != c.content(&g) {
				wr, gr := w, g
				d = &Diff{Check: c.Name, Group: c.group(&wr), Key: c.key(&wr), Want: &wr, Got: &gr}
			}
		case takeWant:
			wr := w
			d = &Diff{Check: c.Name, Group: c.group(&wr), Key: c.key(&wr), Want: &wr}
		default:
			gr := g
			d = &Diff{Check: c.Name, Group: c.group(&gr), Key: c.key(&gr), Got: &gr}
		}
		if takeWant {
			if w, wok, err = next(want, &lastWant); err != nil {
				return err
			}
		}
		if takeGot {
			if g, gok, err = next(got, &lastGot); err != nil {
				return err
			}
		}
		if d == nil {
			continue
		}
		sum(rowOf(*d)).Differences++
		if err := onDiff(*d); err != nil {
			return err
		}
	}
	return nil
}

func rowOf(d Diff) *Row {
	if d.Want != nil {
		return d.Want
	}
	return d.Got
}
