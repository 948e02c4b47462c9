package mkg

import (
	"testing"
	"time"
)

var when = time.Date(2022, 11, 21, 6, 21, 10, 0, time.UTC)

func report(feed string, dt time.Duration, lat, lon, mag float64) EarthquakeReport {
	return EarthquakeReport{Feed: feed, EarthquakeValues: EarthquakeValues{
		OriginTime: when.Add(dt), Latitude: lat, Longitude: lon, Magnitude: Ptr(mag),
	}}
}

func TestRebuildIsIndependentOfArrivalOrder(t *testing.T) {
	reps := []EarthquakeReport{
		report(FeedRealtime, 2*time.Second, -6.9, 107.1, 5.2),
		report(FeedAutogempa, 0, -6.84, 107.05, 5.6),
		report(FeedRepogempa, 400*time.Millisecond, -6.86, 107.07, 5.4),
	}
	reps[0].EventID, reps[0].SourceEventID = "bmg2022wkvc", "bmg2022wkvc"
	reps[1].FeltText = "V Cianjur"
	reps[1].Felt = []FeltReport{{Intensity: "V", MinMMI: 5, MaxMMI: 5, Place: "Cianjur"}}
	reps[1].TsunamiPotential = "Tidak berpotensi tsunami"
	var first *Earthquake
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		q := &Earthquake{}
		for i, idx := range order {
			q.AddReport(&reps[idx], when.Add(time.Duration(i)*time.Minute))
		}
		q.Rebuild()
		if q.SolutionFeed != FeedRepogempa || *q.Magnitude != 5.4 || q.Latitude != -6.86 {
			t.Errorf("order %v: solution %s M%v at %v: want the catalogue's", order, q.SolutionFeed, *q.Magnitude, q.Latitude)
		}
		if q.EventID != "bmg2022wkvc" || q.FeltText != "V Cianjur" || q.TsunamiPotential == "" {
			t.Errorf("order %v: descriptive fields lost: %+v", order, q)
		}
		if first == nil {
			first = q
		} else if !q.SameValues(first) {
			t.Errorf("order %v gives another event than %v", order, first)
		}
	}
}

func TestAddReportRevisesTheFeedsReport(t *testing.T) {
	q := &Earthquake{}
	r := report(FeedAutogempa, 0, -8.15, 118.1, 4.5)
	if !q.AddReport(&r, when) {
		t.Fatal("first report: not a change")
	}
	if q.AddReport(&r, when.Add(time.Minute)) {
		t.Error("the same report again counted as a change")
	}
	if !q.Sources[0].LastSeenAt.Equal(when.Add(time.Minute)) {
		t.Error("last seen not moved")
	}
	rev := r
	rev.Magnitude = Ptr(4.7)
	if !q.AddReport(&rev, when.Add(2*time.Minute)) || len(q.Sources) != 1 {
		t.Errorf("revision: sources %d, want the feed's report replaced", len(q.Sources))
	}
	q.Rebuild()
	if *q.Magnitude != 4.7 {
		t.Errorf("magnitude %v after revision", *q.Magnitude)
	}
}

func TestMatchScore(t *testing.T) {
	q := &Earthquake{EarthquakeValues: EarthquakeValues{OriginTime: when, Latitude: -6.84, Longitude: 107.05, Magnitude: Ptr(5.6)}}
	cases := []struct {
		name string
		r    EarthquakeReport
		ok   bool
	}{
		{"same event, catalogue solution", report(FeedRepogempa, 400*time.Millisecond, -6.86, 107.07, 5.4), true},
		{"aftershock 20 s later", report(FeedRepogempa, 20*time.Second, -6.84, 107.05, 2.1), false},
		{"another event at the same time 500 km away", report(FeedRepogempa, 0, -2.0, 107.05, 5.6), false},
		{"magnitude too different", report(FeedRepogempa, time.Second, -6.84, 107.05, 3.0), false},
	}
	for _, c := range cases {
		if _, ok := MatchScore(q, &c.r); ok != c.ok {
			t.Errorf("%s: match %v, want %v", c.name, ok, c.ok)
		}
	}
	q.EventID = "bmg2022aaaa"
	other := report(FeedRealtime, 0, -6.84, 107.05, 5.6)
	other.EventID = "bmg2022bbbb"
	if _, ok := MatchScore(q, &other); ok {
		t.Error("different agency ids matched")
	}
	near, far := report(FeedRepogempa, time.Second, -6.85, 107.06, 5.5), report(FeedRepogempa, 5*time.Second, -7.2, 107.3, 5.0)
	sn, _ := MatchScore(&Earthquake{EarthquakeValues: EarthquakeValues{
		OriginTime: when, Latitude: -6.84, Longitude: 107.05, Magnitude: Ptr(5.6),
	}}, &near)
	sf, _ := MatchScore(&Earthquake{EarthquakeValues: EarthquakeValues{
		OriginTime: when, Latitude: -6.84, Longitude: 107.05, Magnitude: Ptr(5.6),
	}}, &far)
	if sn >= sf {
		t.Errorf("closer report scores %v, farther %v: want the closer to be the better match", sn, sf)
	}
}

func TestFeedRankIsTotal(t *testing.T) {
	seen := map[int]string{}
	for _, f := range feedOrder {
		r := FeedRank(f)
		if other, dup := seen[r]; dup || r == 0 {
			t.Errorf("%s ranks %d like %s", f, r, other)
		}
		seen[r] = f
	}
	if FeedRank("unknown") != 0 || FeedRank(FeedRepogempa) <= FeedRank(FeedAutogempa) || FeedRank(FeedRealtime) >= FeedRank(FeedQuakeML) {
		t.Error("rank order is not catalogue > bulletins > QuakeML > realtime")
	}
}

func TestSyntheticFeedRanksAsTheFeedItImitates(t *testing.T) {
	if FeedRank(Synthetic(FeedQuakeML)) != FeedRank(FeedQuakeML) || FeedRank(Synthetic(FeedRealtime)) >= FeedRank(Synthetic(FeedQuakeML)) {
		t.Error("synthetic feeds do not rank as the feeds they imitate")
	}
	if !IsSynthetic(Synthetic("realtime")) || IsSynthetic("realtime") || Synthetic(Synthetic("x")) != "synthetic-x" {
		t.Error("Synthetic/IsSynthetic disagree")
	}
}
