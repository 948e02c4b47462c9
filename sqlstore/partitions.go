package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/bmkg/mkggraph/mkg"
)

// On PostgreSQL, observations and lightning strikes are range-partitioned
// by time (0012_time_partitions.sql): retention drops whole partitions,
// and a query over a window plans and reads only that window's
// partitions. SQLite keeps one table each; everything here is a no-op
// there except DropPartitionsBefore, which deletes the same rows.
//
// Partitions are created ahead (when the store opens and every few hours)
// and, before a write, for any period it needs that has none, so a
// backfill of old data lands in partitions of its own. Creation is
// serialised between instances by an advisory lock, and attaches a new
// table: ATTACH PARTITION lets reads and writes of the parent go on,
// where CREATE TABLE … PARTITION OF would block them. Each instance
// remembers the partitions it has seen, so a write whose partitions exist
// costs no statement.

// timePartitions says how one table is cut.
type timePartitions struct {
	tables  []string // the table and those cut along with it (its roll-ups)
	columns []string // each one's partition key
	ms      bool     // the keys are Unix milliseconds; otherwise TIMESTAMPTZ
	days    int      // partition width in days from a Monday; 0: calendar months
	ahead   time.Duration
}

// lightningPartitionDays is the width of lightning partitions, chosen by
// measurement (BENCHMARKS.md: days ingested faster than weeks, queries ran
// the same); 0012_time_partitions.sql uses it too.
const lightningPartitionDays = 1

var partitionedTables = map[string]timePartitions{
	"observations": {tables: []string{"observations"}, columns: []string{"observed_at"}, ahead: 92 * 24 * time.Hour},
	"lightning_strikes": {tables: []string{"lightning_strikes", "lightning_cells"}, columns: []string{"time_ms", "hour_ms"},
		ms: true, days: lightningPartitionDays, ahead: 28 * 24 * time.Hour},
}

// partitionsEvery is how often an instance creates partitions ahead.
const partitionsEvery = 6 * time.Hour

var monday = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC)

// period returns the partition holding t.
func (p timePartitions) period(t time.Time) (start, end time.Time) {
	t = t.UTC()
	if p.days == 0 {
		start = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0)
	}
	days := floorDiv(t.Unix()-monday.Unix(), 86400)
	start = monday.AddDate(0, 0, int(floorDiv(days, int64(p.days))*int64(p.days)))
	return start, start.AddDate(0, 0, p.days)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func partitionName(table string, start time.Time) string {
	return table + "_p" + start.Format("20060102")
}

// bound is a partition bound as SQL.
func (p timePartitions) bound(t time.Time) string {
	if p.ms {
		return strconv.FormatInt(t.UnixMilli(), 10)
	}
	return pq.QuoteLiteral(t.UTC().Format("2006-01-02 15:04:05+00"))
}

// partitionCache holds the partitions this instance knows to exist, by
// name of the first table's partition.
type partitionCache struct {
	mu    sync.Mutex
	known map[string]bool
}

func (c *partitionCache) has(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.known[name]
}

func (c *partitionCache) set(name string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.known == nil {
		c.known = map[string]bool{}
	}
	if ok {
		c.known[name] = true
	} else {
		delete(c.known, name)
	}
}

func (c *partitionCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.known = nil
}

// ensurePartitions makes sure table (a key of partitionedTables) has a
// partition for each of times, creating the missing ones. Only the
// periods of the times given are created, never the span between them: a
// stray old time costs one partition, not a thousand.
func (s *Store) ensurePartitions(ctx context.Context, table string, times iter.Seq[time.Time]) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	p, ok := partitionedTables[table]
	if !ok {
		return fmt.Errorf("sqlstore: %s is not partitioned by time", table)
	}
	var missing []time.Time
	var start, end time.Time
	for t := range times {
		if !t.Before(start) && t.Before(end) {
			continue // same period as the time before (times usually come in order)
		}
		start, end = p.period(t)
		if !s.parts.has(partitionName(table, start)) && !containsTime(missing, start) {
			missing = append(missing, start)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return s.createPartitions(ctx, p, missing)
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

// createPartitions creates the partitions starting at starts, of the
// table and those cut along with it, in one transaction under a lock
// that other instances creating or dropping partitions also take.
func (s *Store) createPartitions(ctx context.Context, p timePartitions, starts []time.Time) error {
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		if err := s.dialect.lockNamed(ctx, q, "partitions"); err != nil {
			return s.wrap(err)
		}
		for _, start := range starts {
			_, end := p.period(start)
			for _, table := range p.tables {
				if err := s.attachPartition(ctx, q, table, partitionName(table, start), p.bound(start), p.bound(end)); err != nil {
					return fmt.Errorf("partition %s: %w", partitionName(table, start), s.wrap(err))
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, start := range starts {
		s.parts.set(partitionName(p.tables[0], start), true)
	}
	return nil
}

func (s *Store) attachPartition(ctx context.Context, q sqlx.ExtContext, table, name, from, to string) error {
	var exists bool
	if err := sqlx.GetContext(ctx, q, &exists, `SELECT to_regclass($1) IS NOT NULL`, name); err != nil || exists {
		return err
	}
	_, err := q.ExecContext(ctx, `CREATE TABLE `+pq.QuoteIdentifier(name)+` (LIKE `+table+` INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)`)
	if err == nil {
		_, err = q.ExecContext(ctx, `ALTER TABLE `+table+` ATTACH PARTITION `+pq.QuoteIdentifier(name)+` FOR VALUES FROM (`+from+`) TO (`+to+`)`)
	}
	return err
}

// partitionsOf lists the partitions of table that follow the naming of
// this file, by their first day.
func (s *Store) partitionsOf(ctx context.Context, q sqlx.QueryerContext, table string) (map[time.Time]bool, error) {
	var names []string
	err := sqlx.SelectContext(ctx, q, &names, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = to_regclass($1)`, table)
	if err != nil {
		return nil, s.wrap(err)
	}
	out := map[time.Time]bool{}
	for _, n := range names {
		if day, err := time.Parse("20060102", strings.TrimPrefix(n, table+"_p")); err == nil {
			out[day] = true
		}
	}
	return out, nil
}

// preparePartitions learns which partitions exist and creates those of
// the coming days or months.
func (s *Store) preparePartitions(ctx context.Context) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	s.parts.forget()
	for table, p := range partitionedTables {
		if err := s.learnPartitions(ctx, p); err != nil {
			return err
		}
		var times []time.Time
		now := s.now()
		for t := now; !t.After(now.Add(p.ahead)); t = t.Add(24 * time.Hour) {
			times = append(times, t)
		}
		if err := s.ensurePartitions(ctx, table, slices.Values(times)); err != nil {
			return err
		}
	}
	return nil
}

// learnPartitions caches the periods whose partitions exist for every
// table of p.
func (s *Store) learnPartitions(ctx context.Context, p timePartitions) error {
	var common map[time.Time]bool
	for _, table := range p.tables {
		have, err := s.partitionsOf(ctx, s.q(), table)
		if err != nil {
			return err
		}
		if common != nil {
			for day := range common {
				common[day] = have[day]
			}
		} else {
			common = have
		}
	}
	for day, ok := range common {
		if ok {
			s.parts.set(partitionName(p.tables[0], day), true)
		}
	}
	return nil
}

// maintainPartitions creates partitions ahead every partitionsEvery until
// ctx ends; it also relearns which exist, as another instance may have
// dropped some.
func (s *Store) maintainPartitions(ctx context.Context) {
	tick := time.NewTicker(partitionsEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.preparePartitions(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("creating partitions ahead failed; writes still create what they need", "err", err)
		}
	}
}

// isMissingPartition reports a write that found no partition for its row:
// one this instance believed in was dropped by another.
func isMissingPartition(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && pe.Code == "23514" && strings.Contains(pe.Message, "no partition")
}

// DropPartitionsBefore removes the data of table ("observations" or
// "lightning_strikes", whose roll-ups go with it) in whole partitions that
// end at or before t: a DROP on PostgreSQL, and on SQLite a DELETE of the
// same rows (everything before the start of the period holding t). It
// returns the partitions dropped (none on SQLite).
func (s *Store) DropPartitionsBefore(ctx context.Context, table string, t time.Time) ([]string, error) {
	p, ok := partitionedTables[table]
	if !ok {
		return nil, mkg.Invalid("table", "%s is not partitioned by time", table)
	}
	cut, _ := p.period(t)
	if s.dialect.name != "postgres" {
		return nil, s.deleteBefore(ctx, p, cut)
	}
	var dropped []string
	err := s.tx(ctx, func(q sqlx.ExtContext) error {
		if err := s.dialect.lockNamed(ctx, q, "partitions"); err != nil {
			return s.wrap(err)
		}
		have, err := s.partitionsOf(ctx, q, table)
		if err != nil {
			return err
		}
		for day := range have {
			if !day.Before(cut) {
				continue
			}
			for _, tb := range p.tables {
				name := partitionName(tb, day)
				if _, err := q.ExecContext(ctx, `DROP TABLE IF EXISTS `+pq.QuoteIdentifier(name)); err != nil {
					return s.wrap(err)
				}
				dropped = append(dropped, name)
			}
			s.parts.set(partitionName(table, day), false)
		}
		return s.forgetBefore(ctx, q, table, cut)
	})
	return dropped, err
}

// forgetBefore removes, in the retention's transaction, what the store
// keeps about the rows dropped before cut: for observations, their day
// counts (totals, and the pages' day floor) and the latest observation of
// a station whose reports all went; and it retires what was cached from
// them.
func (s *Store) forgetBefore(ctx context.Context, q sqlx.ExtContext, table string, cut time.Time) error {
	if table != "observations" {
		return nil // lightning's roll-ups are partitions of their own, dropped with the strikes
	}
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM day_counts WHERE kind IN (?, ?) AND day < ?`, []any{countObservations, countObservationsNil, dbTime{cut}}},
		{`DELETE FROM latest_observations WHERE observed_at < ?`, []any{dbTime{cut}}},
	} {
		if _, err := q.ExecContext(ctx, s.rebind(stmt.sql), stmt.args...); err != nil {
			return s.wrap(err)
		}
	}
	return s.advance(ctx, q, mkg.GenObservations)
}

func (s *Store) deleteBefore(ctx context.Context, p timePartitions, cut time.Time) error {
	return s.tx(ctx, func(q sqlx.ExtContext) error {
		for i, table := range p.tables {
			var arg any = dbTime{cut}
			if p.ms {
				arg = cut.UnixMilli()
			}
			if _, err := q.ExecContext(ctx, s.rebind(`DELETE FROM `+table+` WHERE `+p.columns[i]+` < ?`), arg); err != nil {
				return s.wrap(err)
			}
		}
		return s.forgetBefore(ctx, q, p.tables[0], cut)
	})
}

// ensureObservationPartitions creates the partitions the valid
// observations of a batch will be written to (UpsertObservations).
func (s *Store) ensureObservationPartitions(ctx context.Context, obs []mkg.Observation) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	times := make([]time.Time, 0, len(obs))
	for i := range obs {
		if validateObservation(&obs[i], s.now()) == nil {
			times = append(times, obs[i].ObservedAt)
		}
	}
	return s.ensurePartitions(ctx, "observations", slices.Values(times))
}
