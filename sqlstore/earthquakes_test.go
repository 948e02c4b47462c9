package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

var t0 = time.Date(2022, 11, 21, 6, 21, 10, 0, time.UTC)

func quakeReport(feed string, dt time.Duration, lat, lon, mag float64) mkg.EarthquakeReport {
	return mkg.EarthquakeReport{Feed: feed, EarthquakeValues: mkg.EarthquakeValues{
		OriginTime: t0.Add(dt), Latitude: lat, Longitude: lon, DepthKm: mkg.Ptr(10.0), Magnitude: mkg.Ptr(mag),
	}}
}

func upsertQuakes(t *testing.T, s *Store, reps ...mkg.EarthquakeReport) []mkg.WriteResult {
	t.Helper()
	res, err := s.UpsertEarthquakes(context.Background(), reps)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestEarthquakeMatching(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		// Cianjur 2022: the public bulletin, then the reviewed catalogue (0.4 s, 3 km, 0.2 M apart).
		res := upsertQuakes(t, s,
			quakeReport(mkg.FeedAutogempa, 0, -6.84, 107.05, 5.6),
			quakeReport(mkg.FeedRepogempa, 400*time.Millisecond, -6.86, 107.07, 5.4),
		)
		if res[0].Outcome != mkg.Inserted || res[1].Outcome != mkg.Updated || res[0].ID != res[1].ID {
			t.Fatalf("results %+v: want one event reported by two feeds", res)
		}
		q, err := s.LatestEarthquake(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Sources) != 0 {
			t.Errorf("event %+v: the reads leave the feeds' reports to SourcesOfEarthquakes", q)
		}
		srcs, err := s.SourcesOfEarthquakes(ctx, []int64{q.ID, q.ID + 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(srcs) != 2 || len(srcs[0]) != 2 || srcs[0][0].Feed != mkg.FeedAutogempa || srcs[0][1].Feed != mkg.FeedRepogempa ||
			srcs[0][1].Report.Magnitude == nil || *srcs[0][1].Report.Magnitude != 5.4 || len(srcs[1]) != 0 {
			t.Errorf("sources %+v: want both feeds' reports, first arrival first, and none for a missing event", srcs)
		}
		if *q.Magnitude != 5.4 || q.SolutionFeed != mkg.FeedRepogempa {
			t.Errorf("event %+v: want the catalogue's solution", q)
		}
		// An aftershock 20 s later is another event.
		res = upsertQuakes(t, s, quakeReport(mkg.FeedRepogempa, 20*time.Second, -6.85, 107.06, 2.1))
		if res[0].Outcome != mkg.Inserted {
			t.Errorf("aftershock: %s, want inserted", res[0].Outcome)
		}
		// Events with different agency ids never merge, however close.
		a := quakeReport(mkg.FeedRealtime, time.Hour, 0, 120, 3)
		a.EventID, a.SourceEventID = "bmg2022aaaa", "bmg2022aaaa"
		b := a
		b.EventID, b.SourceEventID = "bmg2022bbbb", "bmg2022bbbb"
		res = upsertQuakes(t, s, a, b)
		if res[0].ID == res[1].ID {
			t.Errorf("two agency ids merged into one event")
		}
		n, _ := s.CountEarthquakes(ctx, mkg.EarthquakeFilter{})
		if n != 4 {
			t.Errorf("count = %d, want 4", n)
		}
	})
}

func TestEarthquakeRevision(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		first := quakeReport(mkg.FeedRealtime, 0, 0.3193, 122.0909, 2.58)
		first.EventID, first.SourceEventID = "bmg2022suve", "bmg2022suve"
		upsertQuakes(t, s, first)
		q1, _ := s.LatestEarthquake(ctx)

		// Same file again: nothing changes, updatedAt stays.
		if res := upsertQuakes(t, s, first); res[0].Outcome != mkg.Unchanged {
			t.Errorf("re-ingest: %s, want unchanged", res[0].Outcome)
		}
		q2, _ := s.LatestEarthquake(ctx)
		if !q2.UpdatedAt.Equal(q1.UpdatedAt) {
			t.Errorf("updatedAt moved on an unchanged re-ingest")
		}

		// A revision of the same event (same id, new magnitude) updates it.
		time.Sleep(2 * time.Millisecond)
		rev := first
		rev.Magnitude = mkg.Ptr(2.9)
		if res := upsertQuakes(t, s, rev); res[0].Outcome != mkg.Updated {
			t.Errorf("revision: %s, want updated", res[0].Outcome)
		}
		q3, _ := s.LatestEarthquake(ctx)
		if *q3.Magnitude != 2.9 || !q3.UpdatedAt.After(q1.UpdatedAt) || !q3.CreatedAt.Equal(q1.CreatedAt) {
			t.Errorf("after revision: %+v", q3)
		}
	})
}

func TestEarthquakeFiltersAndPaging(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var reps []mkg.EarthquakeReport
		for i := range 12 {
			r := quakeReport(mkg.FeedRepogempa, time.Duration(i)*time.Hour, -6-float64(i)*0.1, 107+float64(i), 2+float64(i)*0.5)
			r.DepthKm = mkg.Ptr(float64(10 * i))
			reps = append(reps, r)
		}
		upsertQuakes(t, s, reps...)
		from, to := t0.Add(2*time.Hour), t0.Add(5*time.Hour)
		cases := []struct {
			name string
			f    mkg.EarthquakeFilter
			want int
		}{
			{"window", mkg.EarthquakeFilter{From: &from, To: &to}, 4},
			{"magnitude", mkg.EarthquakeFilter{MinMagnitude: mkg.Ptr(5.0), MaxMagnitude: mkg.Ptr(6.0)}, 3},
			{"depth", mkg.EarthquakeFilter{MaxDepthKm: mkg.Ptr(30.0)}, 4},
			{"bbox", mkg.EarthquakeFilter{BBox: &mkg.BBox{South: -8, West: 106.5, North: -6, East: 110.5}}, 4},
			{"near", mkg.EarthquakeFilter{Near: &mkg.Circle{Center: mkg.Point{Latitude: -6, Longitude: 107}, RadiusKm: 120}}, 2},
		}
		for _, c := range cases {
			n, err := s.CountEarthquakes(ctx, c.f)
			page, err2 := s.Earthquakes(ctx, c.f, mkg.OrderTimeDesc, mkg.Page{Limit: 50})
			if err != nil || err2 != nil || n != c.want || len(page.Edges) != c.want {
				t.Errorf("%s: count %d rows %d (%v %v), want %d", c.name, n, len(page.Edges), err, err2, c.want)
			}
		}
		for _, order := range []mkg.EarthquakeOrder{mkg.OrderTimeDesc, mkg.OrderTimeAsc, mkg.OrderMagnitudeDesc, mkg.OrderDistance} {
			f := mkg.EarthquakeFilter{}
			if order == mkg.OrderDistance {
				f.Near = &mkg.Circle{Center: mkg.Point{Latitude: -6, Longitude: 107}, RadiusKm: 5000}
			}
			var seen []int64
			var after *mkg.Cursor
			for {
				page, err := s.Earthquakes(ctx, f, order, mkg.Page{Limit: 5, After: after})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page.Edges {
					seen = append(seen, e.Earthquake.ID)
				}
				if !page.HasNextPage {
					break
				}
				after = &page.Edges[len(page.Edges)-1].Cursor
			}
			if len(seen) != 12 {
				t.Errorf("%s: paged through %d events, want 12", order, len(seen))
			}
			all, _ := s.Earthquakes(ctx, f, order, mkg.Page{Limit: 50})
			for i, e := range all.Edges {
				if seen[i] != e.Earthquake.ID {
					t.Errorf("%s: paging order differs at %d", order, i)
					break
				}
			}
		}
		first, _ := s.Earthquakes(ctx, mkg.EarthquakeFilter{}, mkg.OrderMagnitudeDesc, mkg.Page{Limit: 1})
		if *first.Edges[0].Earthquake.Magnitude != 7.5 {
			t.Errorf("largest magnitude first: got %v", *first.Edges[0].Earthquake.Magnitude)
		}
	})
}

func TestEarthquakeValidation(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		from, to := t0, t0.Add(-time.Hour)
		for _, c := range []struct {
			f     mkg.EarthquakeFilter
			order mkg.EarthquakeOrder
			field string
		}{
			{mkg.EarthquakeFilter{From: &from, To: &to}, mkg.OrderTimeDesc, "filter.from"},
			{mkg.EarthquakeFilter{MaxDepthKm: mkg.Ptr(-1.0)}, mkg.OrderTimeDesc, "filter.maxDepth"},
			{mkg.EarthquakeFilter{Near: &mkg.Circle{RadiusKm: -5}}, mkg.OrderTimeDesc, "filter.radiusKm"},
			{mkg.EarthquakeFilter{}, mkg.OrderDistance, "orderBy"},
		} {
			_, err := s.Earthquakes(ctx, c.f, c.order, mkg.Page{Limit: 10})
			var e *mkg.Error
			if !asError(err, &e) || e.Code != mkg.EINVALID || e.Field != c.field {
				t.Errorf("%+v %s: %v, want BAD_USER_INPUT on %s", c.f, c.order, err, c.field)
			}
		}
		future := quakeReport(mkg.FeedAutogempa, 0, 0, 0, 5)
		future.OriginTime = time.Now().Add(48 * time.Hour)
		bad := quakeReport(mkg.FeedAutogempa, 0, 95, 0, 5)
		good := quakeReport(mkg.FeedAutogempa, 0, -1, 120, 5)
		res := upsertQuakes(t, s, future, bad, good)
		if res[0].Outcome != mkg.Rejected || res[1].Outcome != mkg.Rejected || res[2].Outcome != mkg.Inserted {
			t.Errorf("results %+v: want the future and off-globe reports rejected, the good one stored", res)
		}
		if _, err := s.LatestEarthquake(ctx); err != nil {
			t.Error(err)
		}
	})
}
