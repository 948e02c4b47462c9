package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

var feedActor = mkg.Actor{Label: "test"}

func TestFeedsStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		on := true
		http := mkg.FeedInput{Name: "auto", Kind: mkg.FeedHTTP, URL: "https://example.org/autogempa.json", Format: "bmkg-infogempa",
			Interval: 30 * time.Second, Enabled: &on}
		f, err := s.CreateFeed(ctx, feedActor, http)
		if err != nil || !f.Enabled || f.Interval != 30*time.Second || f.State.LastFetchAt != nil {
			t.Fatalf("create: %+v, %v", f, err)
		}
		if _, err := s.CreateFeed(ctx, feedActor, http); mkg.ErrorCode(err) != mkg.ECONFLICT {
			t.Fatalf("create twice: %v", err)
		}

		// Seeding adds only what is missing, and leaves admins' changes.
		off := false
		n, err := s.SeedFeeds(ctx, []mkg.FeedInput{{Name: "auto", Kind: mkg.FeedHTTP, URL: "https://other.example/x.json", Interval: time.Hour, Enabled: &off},
			{Name: "terkini", Kind: mkg.FeedHTTP, URL: "https://example.org/gempaterkini.json", Interval: time.Minute}})
		if err != nil || n != 1 {
			t.Fatalf("seed: %d, %v", n, err)
		}
		if f, _ := s.Feed(ctx, "auto"); f.URL != http.URL || !f.Enabled {
			t.Errorf("seeding changed an existing feed: %+v", f)
		}

		// A run's outcome: success, unchanged, failure.
		at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
		ok := mkg.FeedRun{At: at, ETag: `"a"`, LastModified: "Sun, 06 Dec 2026 10:00:00 GMT", BodyHash: "h1",
			Counts: mkg.FeedCounts{Inserted: 3, Unchanged: 1, Rejected: 1}, Next: at.Add(30 * time.Second)}
		if err := s.RecordFeedRun(ctx, "auto", ok); err != nil {
			t.Fatal(err)
		}
		fail := mkg.FeedRun{At: at.Add(time.Minute), Err: "HTTP 500 Internal Server Error", Failures: 1, Next: at.Add(2 * time.Minute)}
		if err := s.RecordFeedRun(ctx, "auto", fail); err != nil {
			t.Fatal(err)
		}
		f, _ = s.Feed(ctx, "auto")
		st := f.State
		if st.ETag != `"a"` || st.BodyHash != "h1" || st.LastError != fail.Err || st.Failures != 1 || !st.LastSuccessAt.Equal(at) ||
			!st.LastErrorAt.Equal(fail.At) || !st.NextRunAt.Equal(fail.Next) || st.Totals != ok.Counts || st.LastRun != (mkg.FeedCounts{}) {
			t.Errorf("after success then failure: %+v", st)
		}
		same := mkg.FeedRun{At: at.Add(3 * time.Minute), Unchanged: true, ETag: `"a"`, LastModified: ok.LastModified, Next: at.Add(4 * time.Minute)}
		if err := s.RecordFeedRun(ctx, "auto", same); err != nil {
			t.Fatal(err)
		}
		f, _ = s.Feed(ctx, "auto")
		if st := f.State; st.LastError != "" || st.Failures != 0 || st.BodyHash != "h1" || st.Totals != ok.Counts || !st.LastFetchAt.Equal(same.At) {
			t.Errorf("after an unchanged run: %+v", st)
		}

		// Update: a new source forgets the old one's validators; a rename
		// onto a taken name is refused.
		moved := http
		moved.URL = "https://example.org/v2/autogempa.json"
		moved.Enabled = nil
		f, err = s.UpdateFeed(ctx, feedActor, "auto", moved)
		if err != nil || f.State.ETag != "" || f.State.BodyHash != "" || !f.Enabled || f.State.Totals != ok.Counts {
			t.Fatalf("update: %+v, %v", f, err)
		}
		moved.Name = "terkini"
		if _, err := s.UpdateFeed(ctx, feedActor, "auto", moved); mkg.ErrorCode(err) != mkg.ECONFLICT {
			t.Errorf("rename onto a taken name: %v", err)
		}
		if f, err := s.SetFeedEnabled(ctx, feedActor, "auto", false); err != nil || f.Enabled {
			t.Errorf("disable: %+v, %v", f, err)
		}
		if err := s.DeleteFeed(ctx, feedActor, "auto"); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{s.DeleteFeed(ctx, feedActor, "auto"), s.RecordFeedRun(ctx, "auto", ok)} {
			if mkg.ErrorCode(err) != mkg.ENOTFOUND {
				t.Errorf("gone: %v", err)
			}
		}
		if _, err := s.Feed(ctx, "auto"); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Errorf("read gone: %v", err)
		}
		list, err := s.Feeds(ctx)
		if err != nil || len(list) != 1 || list[0].Name != "terkini" || list[0].Enabled {
			t.Errorf("list: %+v, %v", list, err)
		}
		events, err := s.AuditEvents(ctx, mkg.AuditFilter{TargetType: "feed"}, mkg.Page{Limit: 10})
		if err != nil || len(events.Events) != 4 {
			t.Fatalf("audit: %+v, %v", events, err)
		}
	})
}
