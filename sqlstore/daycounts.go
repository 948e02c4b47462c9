package sqlstore

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
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

// floorDays is how far back observationFloor looks in day_counts: a week
// and a day of hourly reports hold 192, more than a page of most pages.
const floorDays = 8

// observationFloor returns a time before which no observation of any
// station's page can lie, or nil when the counts do not show one: the
// start of the latest day by which, counting whole days back from the
// page's upper end (its cursor, or to), every station has at least need
// matching observations (day_counts, of the last floorDays days only). A
// statement that names it lets PostgreSQL plan only the partitions from
// that day on: planning all of a year's monthly partitions costs more than
// running the statement (1–4 ms against 0.3–0.6 ms for a station's last 24
// observations). The counts are exact (kept in each write's transaction),
// so the bound never cuts a row off a page; without one the statement runs
// unbounded, as it would without this.
func (s *Store) observationFloor(ctx context.Context, wmos []string, f mkg.ObservationFilter, p mkg.Page, need int) (*time.Time, error) {
	// Whole days end at hi (exclusive): every observation of a day before it
	// is at or before the page's upper end.
	var hi *time.Time
	if f.To != nil {
		d := dayOf(f.To.Add(time.Microsecond))
		hi = &d
	}
	if p.After != nil {
		t, err := time.Parse(time.RFC3339Nano, p.After.Value)
		if err != nil {
			return nil, mkg.Invalid("after", "cursor is not valid for this list")
		}
		if d := dayOf(t); hi == nil || d.Before(*hi) {
			hi = &d
		}
	}
	end := dayOf(s.now()).Add(48 * time.Hour) // reports stamped up to a day ahead still count
	if hi != nil {
		end = *hi
	}
	lo := end.Add(-floorDays * 24 * time.Hour)
	if f.From != nil {
		first := dayOf(*f.From)
		if first.Before(*f.From) {
			first = first.Add(24 * time.Hour)
		}
		if first.After(lo) {
			lo = first
		}
	}
	if !lo.Before(end) || len(wmos) == 0 {
		return nil, nil
	}
	w := where{}
	w.add("kind IN (?, ?)", countObservations, countObservationsNil)
	w.add("key IN ("+placeholders(len(wmos))+")", anySlice(wmos)...)
	w.add("day >= ?", dbTime{lo})
	if hi != nil {
		w.add("day < ?", dbTime{*hi})
	}
	var rows []struct {
		Key  string `db:"key"`
		Kind string `db:"kind"`
		Day  dbTime `db:"day"`
		N    int64  `db:"n"`
	}
	err := sqlx.SelectContext(ctx, s.reads(), &rows, s.rebind(`SELECT key, kind, day, n FROM day_counts WHERE `+w.sql()), w.args...)
	if err != nil {
		return nil, s.wrap(err)
	}
	type tally struct{ all, nils int64 }
	perKey := map[string]map[time.Time]*tally{}
	for _, r := range rows {
		days := perKey[r.Key]
		if days == nil {
			days = map[time.Time]*tally{}
			perKey[r.Key] = days
		}
		d := dayOf(r.Day.Time)
		if days[d] == nil {
			days[d] = &tally{}
		}
		if r.Kind == countObservationsNil {
			days[d].nils += r.N
		} else {
			days[d].all += r.N
		}
	}
	var floor time.Time
	for _, wmo := range wmos {
		days := perKey[wmo]
		order := make([]time.Time, 0, len(days))
		for d := range days {
			order = append(order, d)
		}
		slices.SortFunc(order, func(a, b time.Time) int { return b.Compare(a) })
		var n int64
		reached := false
		for _, d := range order {
			n += days[d].all
			if !f.IncludeNil {
				n -= days[d].nils
			}
			if n >= int64(need) {
				if floor.IsZero() || d.Before(floor) {
					floor = d
				}
				reached = true
				break
			}
		}
		if !reached {
			return nil, nil
		}
	}
	return &floor, nil
}
