package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/bmkg/mkggraph/mkg"
)

// wrap turns driver errors into errors a client may see: UNAVAILABLE when
// the database cannot be reached, is not serving or did not answer before
// the request's deadline (retrying later helps), INTERNAL otherwise. Both
// keep their detail for the log and show none of it to a client; domain
// errors pass through.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *mkg.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The request ran out of time waiting on the database (or was
		// cancelled meanwhile): from where the client stands the database
		// did not answer; the cause stays in the chain for the log.
		return mkg.Unavailable("the database", err)
	}
	if unavailable(err) {
		return mkg.Unavailable("the database", &internalError{err: err})
	}
	return &internalError{err: err}
}

// internalError hides a storage failure from clients (its Error text is
// what the log gets; the error presenter shows only "internal error").
type internalError struct{ err error }

func (e *internalError) Error() string { return "storage: " + e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// unavailable reports whether err says the database is out of reach or not
// serving, rather than that a statement was wrong.
func unavailable(err error) bool {
	var state interface{ SQLState() string } // lib/pq
	if errors.As(err, &state) {
		return unavailableState(state.SQLState())
	}
	var lite interface{ Code() int } // modernc.org/sqlite
	if errors.As(err, &lite) {
		return unavailableSQLite(lite.Code())
	}
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &netErr):
		return true
	}
	// database/sql's own, unexported: the pool was closed (shutdown).
	return strings.Contains(err.Error(), "sql: database is closed")
}

// unavailableState classifies PostgreSQL's SQLSTATE codes: class 08
// (connection exception), 53 (insufficient resources: too many connections,
// out of memory or disk), 57P01–57P05 (administrator or crash shutdown,
// cannot connect now, idle session timeout) and 57014 (a statement
// cancelled by statement_timeout: the database is too slow to answer now).
func unavailableState(code string) bool {
	switch {
	case strings.HasPrefix(code, "08"), strings.HasPrefix(code, "53"), strings.HasPrefix(code, "57P"):
		return true
	}
	return code == "57014"
}

// SQLite's primary result codes that mean "not now" rather than "wrong":
// busy or locked past the busy timeout, an I/O error, a full disk, a file
// that cannot be opened.
const (
	sqliteBusy     = 5
	sqliteLocked   = 6
	sqliteIOErr    = 10
	sqliteFull     = 13
	sqliteCantOpen = 14
)

func unavailableSQLite(code int) bool {
	switch code & 0xff { // extended codes keep the primary one in the low byte
	case sqliteBusy, sqliteLocked, sqliteIOErr, sqliteFull, sqliteCantOpen:
		return true
	}
	return false
}
