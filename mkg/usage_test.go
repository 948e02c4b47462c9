package mkg

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRequestUsage(t *testing.T) {
	at := time.Date(2026, 12, 6, 23, 59, 0, 0, time.FixedZone("WIB", 7*3600)) // 16:59 UTC
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	got := RequestUsage(7, at, 12, map[Dataset]int64{"SYNOP_L2": 24, "STATION_METADATA": 1})
	want := map[UsageKey]UsageCounts{
		{7, day, ""}:                 {Requests: 1, Cost: 12},
		{7, day, "SYNOP_L2"}:         {Requests: 1, Cost: 12, Rows: 24},
		{7, day, "STATION_METADATA"}: {Requests: 1, Cost: 12, Rows: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%v: %+v, want %+v", k, got[k], w)
		}
	}
}

func TestUsageTally(t *testing.T) {
	day := UsageDay(time.Now())
	tally := NewUsageTally(2)
	tally.Add(RequestUsage(1, time.Now(), 5, nil))
	tally.Add(RequestUsage(1, time.Now(), 7, map[Dataset]int64{"EARTHQUAKE": 3}))
	tally.Add(RequestUsage(2, time.Now(), 1, nil)) // a third line: not held
	if tally.Dropped() != 1 {
		t.Errorf("dropped %d, want 1", tally.Dropped())
	}
	store := &failingUsage{fail: true}
	if err := tally.Flush(context.Background(), store); err == nil {
		t.Fatal("a failed write was not reported")
	}
	store.fail = false
	if err := tally.Flush(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	if c := store.got[UsageKey{1, day, ""}]; c != (UsageCounts{Requests: 2, Cost: 12}) {
		t.Errorf("totals after a failed write and a retry: %+v", c)
	}
	if c := store.got[UsageKey{1, day, "EARTHQUAKE"}]; c != (UsageCounts{Requests: 1, Cost: 7, Rows: 3}) {
		t.Errorf("dataset line: %+v", c)
	}
	if len(tally.Drain()) != 0 {
		t.Error("the tally kept lines after they were written")
	}
}

type failingUsage struct {
	fail bool
	got  map[UsageKey]UsageCounts
}

func (f *failingUsage) AddUsage(_ context.Context, lines map[UsageKey]UsageCounts) error {
	if f.fail {
		return errors.New("database down")
	}
	f.got = lines
	return nil
}

func TestCheckUsageWindow(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := CheckUsageWindow(from, from.AddDate(0, 0, 366)); err != nil {
		t.Error(err)
	}
	for _, to := range []time.Time{from.AddDate(0, 0, -1), from.AddDate(0, 0, 367)} {
		var e *Error
		if err := CheckUsageWindow(from, to); !errors.As(err, &e) || e.Field != "to" {
			t.Errorf("to %v: %v", to, err)
		}
	}
}
