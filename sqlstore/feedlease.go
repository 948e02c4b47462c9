package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sync"
	"time"
)

// PollerLease is the right to poll the feeds, held by one instance at a
// time. On PostgreSQL it is a session advisory lock held on a connection of
// its own: the lock ends with the session, so when its holder dies (or its
// connection is cut) PostgreSQL releases it and another instance takes it.
// On SQLite the process is alone with its database and always holds it.
type PollerLease struct {
	lost    chan struct{}
	release func()
	once    sync.Once
	pid     int
}

// Lost is closed when the lease ended without Release: the connection
// holding the lock failed, so another instance may hold it now.
func (l *PollerLease) Lost() <-chan struct{} { return l.lost }

// Release gives the lease up (the lock's session is ended).
func (l *PollerLease) Release() { l.once.Do(l.release) }

// BackendPID is the PostgreSQL session holding the lock (0 on SQLite).
func (l *PollerLease) BackendPID() int { return l.pid }

// pollerLockName is the advisory lock's name; the key is its hash within
// the current schema, so schemas sharing a database poll independently.
const pollerLockName = "mkg-feed-poller"

// TryPollerLease tries once to take the lease; it returns nil (and no
// error) while another instance holds it. The holder's connection is
// checked every `check`: when a check fails the lease is Lost. The session
// is also told to end itself when idle for 3 × check (at least 5 s), so a
// holder that stops checking (hung, or cut off without the TCP connection
// closing) loses the lock within that time.
func (s *Store) TryPollerLease(ctx context.Context, check time.Duration) (*PollerLease, error) {
	if s.dialect.name != "postgres" {
		return &PollerLease{lost: make(chan struct{}), release: func() {}}, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.wrap(err)
	}
	discard := func() {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // ends the session, and with it the lock
		conn.Close()
	}
	idle := max(3*check, 5*time.Second)
	s.statements.Add(2)
	// idle_session_timeout exists from PostgreSQL 14 on; older servers
	// keep the lock until TCP notices a dead peer.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`SET idle_session_timeout = %d`, idle.Milliseconds())); err != nil {
		if _, err := conn.ExecContext(ctx, `SELECT 1`); err != nil {
			discard()
			return nil, s.wrap(err)
		}
	}
	var got bool
	var pid int
	err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext(current_schema() || '.' || $1)), pg_backend_pid()`,
		pollerLockName).Scan(&got, &pid)
	if err != nil || !got {
		discard()
		return nil, s.wrap(err)
	}
	l := &PollerLease{lost: make(chan struct{}), pid: pid}
	stop := make(chan struct{})
	done := make(chan struct{})
	l.release = func() { close(stop); <-done }
	go func() {
		defer close(done)
		defer discard()
		t := time.NewTicker(check)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			if !alive(conn, check) {
				close(l.lost)
				<-stop
				return
			}
		}
	}()
	return l, nil
}

// alive checks the lock's session within timeout.
func alive(conn *sql.Conn, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	_, err := conn.ExecContext(ctx, `SELECT 1`)
	return err == nil
}
