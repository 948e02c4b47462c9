// Package feeds polls the upstream feeds (mkg.Feed): HTTP(S) URLs fetched
// with conditional requests, and spool folders a message switch drops files
// into. What a feed brings goes through the ingest path (format detection,
// idempotent upserts) like any file, so an unchanged feed writes nothing
// and a revised event updates its record. One instance polls at a time:
// the one holding the poller lease.
package feeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// Ingester is the ingest path feeds go through (ingest.Ingester). An event
// publisher hooks in there, so what a feed brings is announced like any
// ingested file.
type Ingester interface {
	File(ctx context.Context, name string, data []byte, opt ingest.Options) (*ingest.Summary, error)
}

// Lease is the right to poll, held by one instance at a time.
type Lease interface {
	// Lost is closed when the lease ended without Release.
	Lost() <-chan struct{}
	// Release gives the lease up; called once, lost or not.
	Release()
}

// Options tune a Poller; zero values take the defaults.
type Options struct {
	// TryLease tries once to take the lease: nil (and no error) while
	// another instance holds it. Nil: this process always polls.
	TryLease func(ctx context.Context) (Lease, error)
	// LeaseRetry is how often a standby tries to take the lease; default 5 s.
	LeaseRetry time.Duration
	// SpoolRoot is the folder spool feeds' paths are below; "" refuses them.
	SpoolRoot string
	// AllowPrivate allows feed URLs on loopback, private and link-local
	// addresses (tests, or an upstream inside the agency's network).
	AllowPrivate bool
	// Timeout bounds one fetch, body included; default 30 s.
	Timeout time.Duration
	// MaxBytes bounds one body or spool file; default 32 MiB.
	MaxBytes int64
	// Reload is how often the list of feeds is read again (admins' changes
	// take effect within it); default 5 s.
	Reload time.Duration
	// Checkpoint: an unchanged poll writes nothing, except that the feed's
	// last fetch and next run are written when the ones stored are older
	// than this; default 10 min.
	Checkpoint time.Duration
	// Settle: a spool file is read once it has kept its size and
	// modification time for one scan and is at least this old; default 2 s.
	Settle time.Duration
	// Polled, when set, is told of each poll: its feed, when it ran and
	// whether it succeeded (the server's metrics).
	Polled func(feed string, at time.Time, ok bool)
	// Parallel bounds the feeds polled at once; default 4.
	Parallel int
	Now      func() time.Time
	Jitter   func() float64 // in [0,1); default math/rand
}

func (o *Options) defaults() {
	o.LeaseRetry = cmpOr(o.LeaseRetry, 5*time.Second)
	o.Timeout = cmpOr(o.Timeout, 30*time.Second)
	o.MaxBytes = cmpOr(o.MaxBytes, 32<<20)
	o.Reload = cmpOr(o.Reload, 5*time.Second)
	o.Checkpoint = cmpOr(o.Checkpoint, 10*time.Minute)
	o.Settle = cmpOr(o.Settle, 2*time.Second)
	o.Parallel = cmpOr(o.Parallel, 4)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Poller polls the enabled feeds when they are due.
type Poller struct {
	store  mkg.FeedStore
	in     Ingester
	log    *slog.Logger
	opt    Options
	client *http.Client

	mu    sync.Mutex
	next  map[string]time.Time           // when each feed is due, as this leader scheduled it
	spool map[string]map[string]fileSeen // each spool feed's files as last scanned
}

// New returns a Poller.
func New(store mkg.FeedStore, in Ingester, log *slog.Logger, opt Options) *Poller {
	opt.defaults()
	return &Poller{store: store, in: in, log: log, opt: opt, client: newClient(opt.Timeout, opt.AllowPrivate),
		next: map[string]time.Time{}, spool: map[string]map[string]fileSeen{}}
}

// Run polls until ctx ends: as leader while it holds the lease, else
// trying to take it every LeaseRetry. Polls in flight when the lease is
// lost are cancelled.
func (p *Poller) Run(ctx context.Context) {
	for ctx.Err() == nil {
		lease := p.acquire(ctx)
		if lease == nil {
			return
		}
		p.log.Info("feed poller: this instance polls the feeds")
		lctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-lease.Lost():
				p.log.Warn("feed poller: the lease was lost (database connection failed); another instance may poll now")
				cancel()
			case <-lctx.Done():
			}
		}()
		p.lead(lctx)
		cancel()
		lease.Release()
		p.mu.Lock()
		p.next = map[string]time.Time{} // a new leader starts from the stored schedule
		p.mu.Unlock()
	}
}

// acquire returns the lease once taken, or nil when ctx ended first.
func (p *Poller) acquire(ctx context.Context) Lease {
	if p.opt.TryLease == nil {
		return alone{}
	}
	for {
		l, err := p.opt.TryLease(ctx)
		if err != nil {
			p.log.Warn("feed poller: cannot try the lease", "err", err)
		} else if l != nil {
			return l
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(p.opt.LeaseRetry):
		}
	}
}

type alone struct{}

func (alone) Lost() <-chan struct{} { return nil }
func (alone) Release()              {}

// lead polls the due feeds until ctx ends, each feed at most once at a
// time and at most Parallel at once, so a hanging feed delays no other.
func (p *Poller) lead(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	sem := make(chan struct{}, p.opt.Parallel)
	running := map[string]bool{}
	var runMu sync.Mutex
	var list []mkg.Feed
	var readAt time.Time
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if now := p.opt.Now(); list == nil || now.Sub(readAt) >= p.opt.Reload {
			l, err := p.store.Feeds(ctx)
			if err != nil {
				p.log.Warn("feed poller: cannot read the feeds", "err", err)
			} else {
				list, readAt = l, now
			}
		}
		for _, f := range list {
			runMu.Lock()
			busy := running[f.Name]
			runMu.Unlock()
			if !f.Enabled || busy || !p.due(f) {
				continue
			}
			select {
			case sem <- struct{}{}:
			default:
				continue // all slots busy: due again on the next tick
			}
			runMu.Lock()
			running[f.Name] = true
			runMu.Unlock()
			wg.Add(1)
			go func(name string) {
				defer wg.Done()
				defer func() { <-sem; runMu.Lock(); delete(running, name); runMu.Unlock() }()
				if err := p.Poll(ctx, name); err != nil && ctx.Err() == nil {
					p.log.Warn("feed poller: poll not recorded", "feed", name, "err", err)
				}
			}(f.Name)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// due reports whether f is to be polled now: at the time this leader
// scheduled, or else the one stored (a new leader takes over the schedule).
func (p *Poller) due(f mkg.Feed) bool {
	p.mu.Lock()
	next, ok := p.next[f.Name]
	p.mu.Unlock()
	if !ok && f.State.NextRunAt != nil {
		next = *f.State.NextRunAt
	}
	return !p.opt.Now().Before(next)
}

// Poll polls one feed now, read afresh from the store, and records the
// outcome. The error is the store's (the feed's own failures are recorded
// in its state, not returned); a disabled feed is not polled.
func (p *Poller) Poll(ctx context.Context, name string) error {
	f, err := p.store.Feed(ctx, name)
	if err != nil || !f.Enabled {
		// Deleted, disabled, or the database failing: not due again
		// before the list of feeds is read again.
		p.mu.Lock()
		p.next[name] = p.opt.Now().Add(p.opt.Reload)
		p.mu.Unlock()
		return err
	}
	var run *mkg.FeedRun
	if f.Kind == mkg.FeedSpool {
		run = p.pollSpool(ctx, f)
	} else {
		run = p.pollHTTP(ctx, f)
	}
	if ctx.Err() != nil {
		return ctx.Err() // cancelled (shutdown, lease lost): the next leader polls again
	}
	p.mu.Lock()
	p.next[name] = run.Next
	p.mu.Unlock()
	if len(run.Err) > maxErrorLen {
		run.Err = strings.ToValidUTF8(run.Err[:maxErrorLen], "") + "…"
	}
	switch c := run.Counts; {
	case run.Err != "":
		p.log.Warn("feed poll failed", "feed", name, "reason", run.Err, "failures", run.Failures, "next", run.Next)
	case c.Inserted+c.Updated > 0:
		p.log.Info("feed ingested", "feed", name, "inserted", c.Inserted, "updated", c.Updated, "unchanged", c.Unchanged, "rejected", c.Rejected)
	}
	if p.opt.Polled != nil {
		p.opt.Polled(name, run.At, run.Err == "")
	}
	if p.unchangedSkip(f, run) {
		return nil
	}
	return p.store.RecordFeedRun(ctx, name, *run)
}

// unchangedSkip reports whether an unchanged poll need not be written: the
// feed was not failing, its validators are the ones stored, and the stored
// last fetch is recent enough (Checkpoint).
func (p *Poller) unchangedSkip(f *mkg.Feed, run *mkg.FeedRun) bool {
	s := f.State
	return run.Unchanged && s.Failures == 0 && s.LastError == "" && run.ETag == s.ETag && run.LastModified == s.LastModified &&
		s.LastFetchAt != nil && run.At.Sub(*s.LastFetchAt) < p.opt.Checkpoint
}

// failed is a failed run: backed off, counted, its reason kept.
func (p *Poller) failed(f *mkg.Feed, at time.Time, format string, args ...any) *mkg.FeedRun {
	n := f.State.Failures + 1
	return &mkg.FeedRun{At: at, Err: fmt.Sprintf(format, args...), Failures: n,
		Next: mkg.NextFeedRun(at, f.Interval, n, p.opt.Jitter())}
}

func (p *Poller) pollHTTP(ctx context.Context, f *mkg.Feed) *mkg.FeedRun {
	at := p.opt.Now()
	got, err := p.fetch(ctx, f)
	if err != nil {
		return p.failed(f, at, "%v", err)
	}
	next := mkg.NextFeedRun(at, f.Interval, 0, 0)
	if got.notModified {
		return &mkg.FeedRun{At: at, Unchanged: true, ETag: got.etag, LastModified: got.lastModified, BodyHash: f.State.BodyHash, Next: next}
	}
	sum := sha256.Sum256(got.body)
	hash := hex.EncodeToString(sum[:])
	if hash == f.State.BodyHash {
		return &mkg.FeedRun{At: at, Unchanged: true, ETag: got.etag, LastModified: got.lastModified, BodyHash: hash, Next: next}
	}
	counts, _, err := p.ingest(ctx, f, fileName(f.URL), got.body)
	if err != nil {
		return p.failed(f, at, "%v", err)
	}
	return &mkg.FeedRun{At: at, ETag: got.etag, LastModified: got.lastModified, BodyHash: hash, Counts: counts, Next: next}
}

// ingest checks that data are in the feed's format, then stores them
// through the ingest path. A body in no known format (an HTML error page,
// garbage) or in another format than the feed's is refused before anything
// is parsed; a file that does not parse (truncated) stores nothing.
func (p *Poller) ingest(ctx context.Context, f *mkg.Feed, name string, data []byte) (mkg.FeedCounts, []string, error) {
	got := ingest.Detect(name, data)
	switch {
	case got == "":
		return mkg.FeedCounts{}, nil, fmt.Errorf("not in a recognised format (%s)", describe(data))
	case f.Format != "" && got != f.Format:
		return mkg.FeedCounts{}, nil, fmt.Errorf("in format %s, not the feed's %s", got, f.Format)
	}
	s, err := p.in.File(ctx, name, data, ingest.Options{})
	if err == nil && s.StoreFailures > 0 {
		// The database failed some records: the run fails, so the body is
		// not taken as ingested and the next poll stores them.
		err = fmt.Errorf("%d of %d records could not be stored: %w", s.StoreFailures, s.Read, errStore)
	}
	if mkg.ErrorCode(err) == mkg.EUNAVAILABLE {
		err = fmt.Errorf("%w (%v)", errStore, err)
	}
	if err != nil {
		return mkg.FeedCounts{}, nil, err
	}
	var rejected []string
	for _, r := range s.Rejected {
		rejected = append(rejected, r.Position+": "+r.Reason)
	}
	return mkg.FeedCounts{Inserted: s.Inserted, Updated: s.Updated, Unchanged: s.Unchanged, Rejected: len(s.Rejected)}, rejected, nil
}

// maxErrorLen bounds the reason kept for a failed poll (an upstream's
// status text, a list of refused spool files).
const maxErrorLen = 2000

// errStore marks a failure of the database, not of the file: the file is
// read again on a later poll.
var errStore = errors.New("database failure; the file is read again on a later poll")

// fileName is the name a fetched body is ingested under: the URL path's
// last element.
func fileName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || path.Base(u.Path) == "/" || path.Base(u.Path) == "." {
		return "feed"
	}
	return path.Base(u.Path)
}

// describe says what an unrecognised body looks like, for the feed's error.
func describe(data []byte) string {
	head := data[:min(len(data), 512)]
	ct := http.DetectContentType(head)
	switch {
	case len(data) == 0:
		return "the body is empty"
	case ct == "text/html; charset=utf-8":
		return "an HTML page, likely an error page"
	}
	return fmt.Sprintf("%d bytes of %s", len(data), ct)
}
