package mkg

import (
	"context"
	"math"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
)

// FeedKind is where a feed's files come from.
type FeedKind string

const (
	// FeedHTTP is an HTTP(S) URL fetched every interval.
	FeedHTTP FeedKind = "HTTP"
	// FeedSpool is a folder into which a message switch drops files, read
	// every interval.
	FeedSpool FeedKind = "SPOOL"
)

// Feed is an upstream source the server polls: its configuration, which
// admins change, and its state, which only the poller writes.
type Feed struct {
	Name        string
	Kind        FeedKind
	URL         string // FeedHTTP: http(s) URL
	Path        string // FeedSpool: folder relative to the spool root
	Format      string // the ingest format the files must be in; "" = any recognised
	Interval    time.Duration
	Enabled     bool
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	State       FeedState
}

// FeedState is what the poller recorded of a feed.
type FeedState struct {
	// ETag and LastModified are the validators of the last body ingested
	// (or answered), sent back as If-None-Match / If-Modified-Since.
	ETag         string
	LastModified string
	// BodyHash is the SHA-256 (hex) of the last body ingested: a 200 with
	// the same body is not ingested again.
	BodyHash      string
	LastFetchAt   *time.Time
	LastSuccessAt *time.Time
	LastErrorAt   *time.Time
	LastError     string
	Failures      int // consecutive failed polls
	NextRunAt     *time.Time
	LastRun       FeedCounts
	Totals        FeedCounts
}

// FeedCounts are the records a poll (or all of them) stored.
type FeedCounts struct {
	Inserted, Updated, Unchanged, Rejected int
}

// Add returns the sum of two counts.
func (c FeedCounts) Add(o FeedCounts) FeedCounts {
	return FeedCounts{c.Inserted + o.Inserted, c.Updated + o.Updated, c.Unchanged + o.Unchanged, c.Rejected + o.Rejected}
}

// FeedRun is the outcome of one poll, as the poller records it.
type FeedRun struct {
	At time.Time
	// Unchanged: the source answered 304, or the body last ingested; only
	// the fetch time, validators and next run are recorded.
	Unchanged bool
	// Err is the reason the poll failed, fit to show an admin; "" = it
	// succeeded.
	Err          string
	ETag         string
	LastModified string
	BodyHash     string
	Counts       FeedCounts
	Failures     int // consecutive failures after this poll
	Next         time.Time
}

// FeedInput is a feed's configuration as an admin or the config file gives
// it. Enabled nil means false for a new feed and unchanged for an update.
type FeedInput struct {
	Name        string
	Kind        FeedKind
	URL         string
	Path        string
	Format      string
	Interval    time.Duration
	Enabled     *bool
	Description string
}

// Feed limits. The shortest interval is the agency's own apps' polling
// period; the longest keeps a forgotten feed from looking dead for days.
const (
	MinFeedInterval = 2 * time.Second
	MaxFeedInterval = 24 * time.Hour
	// MaxFeedBackoff bounds the wait after failures.
	MaxFeedBackoff = time.Hour
	maxFeedName    = 64
	maxFeedText    = 2000
)

var feedName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// Validate checks a feed's configuration; errors name the field at fault
// under prefix ("input"). formats are the ingest formats a feed may
// require.
func (in *FeedInput) Validate(prefix string, formats []string) error {
	in.Name = strings.TrimSpace(in.Name)
	if len(in.Name) > maxFeedName || !feedName.MatchString(in.Name) {
		return Invalid(prefix+".name", "must be 1 to %d characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", maxFeedName)
	}
	if in.Interval < MinFeedInterval || in.Interval > MaxFeedInterval {
		return Invalid(prefix+".intervalSeconds", "must be between %d and %d seconds", int(MinFeedInterval.Seconds()), int(MaxFeedInterval.Seconds()))
	}
	if len(in.Description) > maxFeedText {
		return Invalid(prefix+".description", "must be at most %d characters", maxFeedText)
	}
	if in.Format != "" && !slices.Contains(formats, in.Format) {
		return Invalid(prefix+".format", "unknown format %q; known: %s", in.Format, strings.Join(formats, ", "))
	}
	switch in.Kind {
	case FeedHTTP:
		if in.Path != "" {
			return Invalid(prefix+".path", "only a SPOOL feed has a path")
		}
		return checkFeedURL(prefix+".url", in.URL)
	case FeedSpool:
		if in.URL != "" {
			return Invalid(prefix+".url", "only an HTTP feed has a URL")
		}
		return checkSpoolPath(prefix+".path", in.Path)
	}
	return Invalid(prefix+".kind", "must be HTTP or SPOOL")
}

// checkFeedURL allows absolute http(s) URLs without credentials. Where the
// host resolves is checked when the poller connects (no private address
// unless allowed), since a name may resolve elsewhere later.
func checkFeedURL(field, raw string) error {
	if len(raw) > maxFeedText {
		return Invalid(field, "must be at most %d characters", maxFeedText)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return Invalid(field, "must be an absolute http:// or https:// URL")
	}
	if u.User != nil {
		return Invalid(field, "must not carry a user name or password")
	}
	return nil
}

// checkSpoolPath allows a folder below the spool root: relative, clean,
// never leaving the root.
func checkSpoolPath(field, p string) error {
	if p == "" || len(p) > 255 || strings.Contains(p, `\`) || strings.ContainsRune(p, 0) {
		return Invalid(field, "must be a folder below the spool root, e.g. \"gts\"")
	}
	c := path.Clean(p)
	if path.IsAbs(c) || c == "." || c == ".." || strings.HasPrefix(c, "../") || c != p {
		return Invalid(field, "must be a clean relative folder below the spool root, without '..'")
	}
	for _, part := range strings.Split(c, "/") {
		if part == "done" || part == "failed" {
			return Invalid(field, "must not name a done/ or failed/ folder")
		}
	}
	return nil
}

// NextFeedRun is when a feed is polled again after a poll at `at`: one
// interval after a success; after the n-th consecutive failure, interval ×
// 2^n, at most MaxFeedBackoff, with "equal jitter": half of that wait,
// plus a random part (jitter in [0,1)) of the other half, so that feeds
// failing together spread out; and never less than the interval.
func NextFeedRun(at time.Time, interval time.Duration, failures int, jitter float64) time.Time {
	if failures <= 0 {
		return at.Add(interval)
	}
	wait := MaxFeedBackoff
	if f := float64(interval) * math.Pow(2, float64(min(failures, 30))); f < float64(MaxFeedBackoff) {
		wait = time.Duration(f)
	}
	jitter = min(max(jitter, 0), 1)
	return at.Add(max(wait/2+time.Duration(jitter*float64(wait/2)), interval))
}

// FeedStore keeps feeds. Changing them is for admins (the GraphQL schema
// says so), each change recorded in the audit log with by; the poller
// records runs.
type FeedStore interface {
	// Feeds returns every feed, by name.
	Feeds(ctx context.Context) ([]Feed, error)
	// Feed returns one feed, NOT_FOUND when there is none of that name.
	Feed(ctx context.Context, name string) (*Feed, error)
	// CreateFeed adds a validated feed; CONFLICT when the name is taken.
	CreateFeed(ctx context.Context, by Actor, in FeedInput) (*Feed, error)
	// UpdateFeed replaces a feed's configuration (its name included) and
	// keeps its state, except the validators and body hash when the URL
	// changed; NOT_FOUND, or CONFLICT when the new name is taken.
	UpdateFeed(ctx context.Context, by Actor, name string, in FeedInput) (*Feed, error)
	// SetFeedEnabled turns polling a feed on or off; NOT_FOUND.
	SetFeedEnabled(ctx context.Context, by Actor, name string, enabled bool) (*Feed, error)
	// DeleteFeed removes a feed; NOT_FOUND.
	DeleteFeed(ctx context.Context, by Actor, name string) error
	// SeedFeeds adds the feeds no feed of the same name exists for, and
	// leaves the others as they are (admins may have changed them); it
	// returns how many it added.
	SeedFeeds(ctx context.Context, feeds []FeedInput) (int, error)
	// RecordFeedRun writes a poll's outcome into the feed's state, adding
	// its counts to the totals; NOT_FOUND when the feed was deleted.
	RecordFeedRun(ctx context.Context, name string, run FeedRun) error
}
