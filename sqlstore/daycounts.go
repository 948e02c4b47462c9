package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Kinds of day counts (day_counts.kind); the key "*" counts all stations.
const (
	countObservations    = "observations"
	countObservationsNil = "observations_nil"
	countEarthquakes     = "earthquakes"
	allKeys              = "*"
)

type dayCount struct {
	kind, key string
	day       time.Time
}

// dayCounts are changes to day_counts, gathered by a write.
type dayCounts map[dayCount]int64

func dayOf(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// add counts n more for key and for all keys on t's day.
func (c dayCounts) add(kind, key string, t time.Time, n int64) {
	c[dayCount{kind, key, dayOf(t)}] += n
	if key != allKeys {
		c[dayCount{kind, allKeys, dayOf(t)}] += n
	}
}

// saveDayCounts applies the changes in q, the write's transaction.
func (s *Store) saveDayCounts(ctx context.Context, q sqlx.ExtContext, c dayCounts) error {
	var args []any
	for k, n := range c {
		if n != 0 {
			args = append(args, k.kind, k.key, dbTime{k.day}, n)
		}
	}
	for len(args) > 0 {
		chunk := args[:min(len(args), 4*500)]
		args = args[len(chunk):]
		rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(chunk)/4), ", ")
		_, err := q.ExecContext(ctx, s.rebind(`INSERT INTO day_counts (kind, key, day, n) VALUES `+rows+`
			ON CONFLICT (kind, key, day) DO UPDATE SET n = day_counts.n + excluded.n`), chunk...)
		if err != nil {
			return s.wrap(err)
		}
	}
	return nil
}

// timeWindow is a half-open interval [lo, hi) of times; nil ends are open.
type timeWindow struct{ lo, hi *time.Time }

// inclusive is the window of a filter whose to is inclusive (<= to).
func inclusive(from, to *time.Time) timeWindow {
	w := timeWindow{lo: from}
	if to != nil {
		hi := to.Add(time.Microsecond) // the stored precision
		w.hi = &hi
	}
	return w
}

// split cuts the window into the whole days within it (counted by
// day_counts; ok=false when there is none) and the parts before and after
// them (counted from the data, less than a day each).
func (w timeWindow) split() (days timeWindow, ok bool, edges []timeWindow) {
	if w.lo != nil {
		first := dayOf(*w.lo)
		if first.Before(*w.lo) {
			first = first.Add(24 * time.Hour)
		}
		days.lo = &first
	}
	if w.hi != nil {
		last := dayOf(*w.hi)
		days.hi = &last
	}
	if days.lo != nil && days.hi != nil && !days.lo.Before(*days.hi) {
		return timeWindow{}, false, []timeWindow{w} // no whole day: all of it is an edge
	}
	if w.lo != nil && w.lo.Before(*days.lo) {
		edges = append(edges, timeWindow{w.lo, days.lo})
	}
	if w.hi != nil && days.hi.Before(*w.hi) {
		edges = append(edges, timeWindow{days.hi, w.hi})
	}
	return days, true, edges
}

// sumDayCounts sums the counts of kind per key over days, a window of whole
// days (open ends: every day before or after).
func (s *Store) sumDayCounts(ctx context.Context, kind string, keys []string, days timeWindow) (map[string]int64, error) {
	w := where{}
	w.add("kind = ?", kind)
	w.add("key IN ("+placeholders(len(keys))+")", anySlice(keys)...)
	if days.lo != nil {
		w.add("day >= ?", dbTime{*days.lo})
	}
	if days.hi != nil {
		w.add("day < ?", dbTime{*days.hi})
	}
	var rows []struct {
		Key string `db:"key"`
		N   int64  `db:"n"`
	}
	err := sqlx.SelectContext(ctx, s.q(), &rows, s.rebind(`SELECT key, SUM(n) AS n FROM day_counts WHERE `+w.sql()+` GROUP BY key`), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Key] = r.N
	}
	return out, nil
}
