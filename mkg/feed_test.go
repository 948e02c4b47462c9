package mkg

import (
	"testing"
	"time"
)

func TestNextFeedRun(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iv := 30 * time.Second
	for _, c := range []struct {
		failures int
		jitter   float64
		want     time.Duration
	}{
		{0, 0.9, 30 * time.Second},  // success: one interval, no jitter
		{1, 0, 30 * time.Second},    // 60 s wait, lowest half
		{1, 1, 60 * time.Second},    // highest
		{2, 0.5, 90 * time.Second},  // 120 s wait: 60 + 30
		{3, 0, 120 * time.Second},   // 240 s wait
		{7, 0, 30 * time.Minute},    // 3840 s, capped at an hour
		{1000, 1, time.Hour},        // no overflow, bounded
		{1000, 7, time.Hour},        // jitter out of range is clamped
		{-1, 0.3, 30 * time.Second}, // nonsense counts as success
	} {
		if got := NextFeedRun(at, iv, c.failures, c.jitter).Sub(at); got != c.want {
			t.Errorf("failures %d jitter %v: %v, want %v", c.failures, c.jitter, got, c.want)
		}
	}
	// The wait never falls below the interval, even past the cap.
	if got := NextFeedRun(at, 20*time.Hour, 3, 0).Sub(at); got != 20*time.Hour {
		t.Errorf("long interval backed off to %v", got)
	}
}

func TestFeedInputValidate(t *testing.T) {
	formats := []string{"bmkg-infogempa", "quakeml"}
	ok := func() FeedInput {
		return FeedInput{Name: "bmkg-autogempa", Kind: FeedHTTP, URL: "https://data.bmkg.go.id/DataMKG/TEWS/autogempa.json", Interval: time.Minute}
	}
	good := ok()
	if err := good.Validate("input", formats); err != nil {
		t.Fatal(err)
	}
	spool := FeedInput{Name: "gts", Kind: FeedSpool, Path: "switch/in", Interval: 5 * time.Second}
	if err := spool.Validate("input", formats); err != nil {
		t.Fatal(err)
	}
	for field, change := range map[string][]func(*FeedInput){
		"input.name": {func(f *FeedInput) { f.Name = "" }, func(f *FeedInput) { f.Name = "Has Space" }, func(f *FeedInput) { f.Name = "-x" },
			func(f *FeedInput) { f.Name = string(make([]byte, 65)) }},
		"input.intervalSeconds": {func(f *FeedInput) { f.Interval = time.Second }, func(f *FeedInput) { f.Interval = 25 * time.Hour }},
		"input.url": {func(f *FeedInput) { f.URL = "file:///etc/passwd" }, func(f *FeedInput) { f.URL = "/relative" },
			func(f *FeedInput) { f.URL = "https://a:b@example.org/" }, func(f *FeedInput) { f.URL = "http://:80/" },
			func(f *FeedInput) { f.Kind = FeedSpool; f.Path = "gts" }},
		"input.path": {func(f *FeedInput) { f.Path = "gts" }, func(f *FeedInput) { f.Kind, f.URL, f.Path = FeedSpool, "", "../x" },
			func(f *FeedInput) { f.Kind, f.URL, f.Path = FeedSpool, "", "/var/spool" }, func(f *FeedInput) { f.Kind, f.URL, f.Path = FeedSpool, "", "a/../b" },
			func(f *FeedInput) { f.Kind, f.URL, f.Path = FeedSpool, "", "gts/done" }, func(f *FeedInput) { f.Kind, f.URL, f.Path = FeedSpool, "", "" }},
		"input.format": {func(f *FeedInput) { f.Format = "pdf" }},
		"input.kind":   {func(f *FeedInput) { f.Kind = "FTP" }},
	} {
		for i, ch := range change {
			in := ok()
			ch(&in)
			err := in.Validate("input", formats)
			if e, isErr := err.(*Error); !isErr || e.Field != field || e.Code != EINVALID {
				t.Errorf("%s #%d: %v", field, i, err)
			}
		}
	}
}
