package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// TestUnavailableDatabase: real failures of a database that is out of
// reach or not serving are UNAVAILABLE, with the driver's detail kept for
// the log only; a wrong statement stays INTERNAL.
func TestUnavailableDatabase(t *testing.T) {
	ctx := context.Background()
	isUnavailable := func(t *testing.T, err error) {
		t.Helper()
		var e *mkg.Error
		if !errors.As(err, &e) || e.Code != mkg.EUNAVAILABLE {
			t.Fatalf("got %v, want UNAVAILABLE", err)
		}
		if strings.Contains(e.Message, "pq") || strings.Contains(e.Message, "sql") || e.Err == nil {
			t.Errorf("message %q (cause %v): the detail must be kept for the log, not shown", e.Message, e.Err)
		}
	}
	t.Run("postgres refuses connections", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		db, err := sqlx.Open("postgres", "postgres://postgres@"+addr+"/x?sslmode=disable&connect_timeout=2")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		s := &Store{db: db, side: db, dialect: postgres, log: quiet}
		_, err = s.AccessVersion(ctx)
		isUnavailable(t, err)
	})
	t.Run("postgres terminates the session", func(t *testing.T) {
		s := newPostgresStore(t)
		err := s.tx(ctx, func(q sqlx.ExtContext) error {
			_, err := q.ExecContext(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`)
			return s.wrap(err)
		})
		isUnavailable(t, err)
		if _, err := s.AccessVersion(ctx); err != nil {
			t.Errorf("the pool did not recover: %v", err)
		}
	})
	t.Run("sqlite locked past the busy timeout", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "busy.db")
		s := openStore(t, "sqlite:"+path)
		s.db.SetMaxOpenConns(1) // so that the shorter busy timeout below is the pool's
		if _, err := s.db.ExecContext(ctx, `PRAGMA busy_timeout = 50`); err != nil {
			t.Fatal(err)
		}
		other, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		conn, err := other.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `BEGIN EXCLUSIVE`); err != nil {
			t.Fatal(err)
		}
		defer conn.ExecContext(ctx, `ROLLBACK`)
		_, err = s.CreateAccount(ctx, mkg.Actor{Label: "test"}, mkg.AccountInput{Organisation: "O", ContactName: "C",
			ContactEmail: "c@example.org", Application: mkg.ClientApplication{Name: "a"}})
		isUnavailable(t, err)
	})
	t.Run("closed pool", func(t *testing.T) {
		s := newSQLiteStore(t)
		s.Close()
		_, err := s.AccessVersion(ctx)
		isUnavailable(t, err)
	})
	t.Run("a wrong statement is internal", func(t *testing.T) {
		forEachStore(t, func(t *testing.T, s *Store) {
			_, err := s.q().ExecContext(ctx, `SELECT * FROM no_such_table`)
			err = s.wrap(err)
			if mkg.ErrorCode(err) != mkg.EINTERNAL {
				t.Errorf("got %v, want INTERNAL", err)
			}
		})
	})
}
