package sqlstore

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/sync/singleflight"

	"github.com/bmkg/mkggraph/mkg"
)

// generationsChannel is the PostgreSQL notification channel on which every
// committed change of a generation is announced.
const generationsChannel = "mkg_generations"

// Generations are kept in memory and trusted for freshFor after the read
// that brought them began; past that a reader reads them again before
// answering. So a change committed at T is in every instance's view from
// T+freshFor on, watched or not. Watch reads them every pollEvery (and at
// once on a PostgreSQL notification), so while it runs readers never wait.
const (
	freshFor  = time.Second
	pollEvery = 250 * time.Millisecond
	// readWait bounds how long a request waits for the generations to be
	// read: one tiny statement, so a database that takes longer is not
	// serving, and the request is answered UNAVAILABLE while it still has
	// time, instead of spending its whole deadline here.
	readWait = 500 * time.Millisecond
)

// errNoAnswer: the generations' read has been running longer than readWait.
var errNoAnswer = errors.New("the generations' read has not answered within " + readWait.String())

// generations is this process's view of the generations table.
type generations struct {
	mu      sync.RWMutex
	values  map[string]int64
	readAt  time.Time // when the read behind values began; zero: read again before use
	staleAt time.Time // when this process last committed a change
	flight  singleflight.Group
	// reading is when the shared read now running began (UnixNano; 0:
	// none): a read older than readWait says the database is not
	// answering, and later callers do not wait on it again.
	reading atomic.Int64
}

// waitFor is how long a caller may still wait on the shared read: readWait
// from the moment that read began, so that the requests that come while
// the database does not answer fail at once, and one request that asks
// again (its cache lookup, then its resolvers) waits at most once.
func (g *generations) waitFor() time.Duration {
	began := g.reading.Load()
	if began == 0 {
		return readWait
	}
	return readWait - time.Since(time.Unix(0, began))
}

// Generation implements mkg.Generations: from memory while the view is
// fresh, else from the database (one statement, shared by the requests that
// ask at the same time). No instance trusts a view older than freshFor, so a
// change committed anywhere is seen everywhere within that time (at once on
// PostgreSQL while Watch runs), and at once by the process that made it.
func (s *Store) Generation(ctx context.Context, name string) (int64, error) {
	if v, ok := s.gens.fresh(name); ok {
		return v, nil
	}
	asked := time.Now()
	wait := s.gens.waitFor()
	if wait <= 0 {
		return 0, mkg.Unavailable("the database", errNoAnswer)
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for range 3 {
		st := s.op(ctx, "SELECT generations") // this request waits for a read (shared or not)
		r, err := s.readGenerations(wctx)
		st.end(err)
		if err != nil {
			if mkg.ErrorCode(err) == mkg.EUNAVAILABLE || ctx.Err() != nil {
				return 0, err
			}
			return 0, mkg.Unavailable("the database", err)
		}
		if r.started.Before(asked) {
			continue // joined a read that began before this call: it may predate a change this call must see
		}
		v, ok := r.values[name]
		if !ok {
			return 0, mkg.Errorf(mkg.EINTERNAL, "unknown generation %q", name)
		}
		return v, nil
	}
	return 0, mkg.Errorf(mkg.EINTERNAL, "generations kept changing while being read")
}

func (g *generations) fresh(name string) (int64, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	v, ok := g.values[name]
	return v, ok && !g.readAt.IsZero() && time.Since(g.readAt) < freshFor
}

// stale makes the next reader read the generations again: called once this
// process committed a change, so that its own next request sees it. A read
// that began before is not trusted either.
func (g *generations) stale() {
	g.mu.Lock()
	g.readAt, g.staleAt = time.Time{}, time.Now()
	g.mu.Unlock()
}

// generationsRead is one read of the table and when it began.
type generationsRead struct {
	values  map[string]int64
	started time.Time
}

// readGenerations reads the whole (small) table into the view. Concurrent
// callers share one read; each still gives up when its own context ends.
func (s *Store) readGenerations(ctx context.Context) (generationsRead, error) {
	ch := s.gens.flight.DoChan("read", func() (any, error) {
		// The shared read must not fail the others because its first caller
		// gave up; it has its own bound.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		r := generationsRead{started: time.Now()}
		s.gens.reading.Store(r.started.UnixNano())
		defer s.gens.reading.Store(0)
		var rows []struct {
			Name       string `db:"name"`
			Generation int64  `db:"generation"`
		}
		// Not counted: Watch reads in the background; a request that waits
		// for a read counts it in Generation.
		if err := sqlx.SelectContext(rctx, s.side, &rows, `SELECT name, generation FROM generations`); err != nil {
			return r, s.wrap(err)
		}
		r.values = make(map[string]int64, len(rows))
		for _, row := range rows {
			r.values[row.Name] = row.Generation
		}
		g := &s.gens
		g.mu.Lock()
		// The view is as fresh as the moment the read began, and not at all
		// if this process committed a change since.
		g.values, g.readAt = r.values, r.started
		if r.started.Before(g.staleAt) {
			g.readAt = time.Time{}
		}
		g.mu.Unlock()
		return r, nil
	})
	select {
	case res := <-ch:
		r, _ := res.Val.(generationsRead)
		return r, res.Err
	case <-ctx.Done():
		return generationsRead{}, ctx.Err()
	}
}

// advance moves the generations of names forward in q, the transaction of a
// change to their data, so that the change and the retirement of everything
// cached before it commit together. PostgreSQL announces it on commit.
func (s *Store) advance(ctx context.Context, q sqlx.ExtContext, names ...string) error {
	query, args, err := s.in(`UPDATE generations SET generation = generation + 1 WHERE name IN (?)`, names)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, query, args...); err != nil {
		return s.wrap(err)
	}
	if s.dialect.name == "postgres" {
		if _, err := q.ExecContext(ctx, `SELECT pg_notify('`+generationsChannel+`', '')`); err != nil {
			return s.wrap(err)
		}
	}
	if c, ok := q.(counted); ok && c.advanced != nil {
		*c.advanced = true // tx marks the view stale once committed
	} else {
		s.gens.stale()
	}
	return nil
}

// Watch keeps this process's view of the generations current until ctx
// ends: it reads them every pollEvery and, on PostgreSQL, as soon as a
// change is announced. Servers run it; short-lived commands need not (their
// reads then go to the database once the view is older than freshFor).
func (s *Store) Watch(ctx context.Context) {
	wake := make(chan struct{}, 1)
	if s.dialect.name == "postgres" && s.url != "" {
		go s.listen(ctx, wake)
	}
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if _, err := s.readGenerations(ctx); err != nil && ctx.Err() == nil {
			s.log.Debug("generations not read", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
	}
}

// listen wakes Watch on every announced change, and on every reconnection
// of the listening connection (announcements may have been missed). It runs
// apart from the polling so that a server that stops answering cannot stall
// the polls, which then fail and leave the view to expire.
func (s *Store) listen(ctx context.Context, wake chan<- struct{}) {
	l := pq.NewListener(s.url, 100*time.Millisecond, 2*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			s.log.Debug("generations listener", "event", ev, "err", err)
		}
	})
	defer l.Close()
	if err := l.Listen(generationsChannel); err != nil {
		s.log.Warn("cannot listen for generation changes; polling only", "err", err)
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.Notify:
			select {
			case wake <- struct{}{}:
			default: // a read is already due
			}
		}
	}
}
