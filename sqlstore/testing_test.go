package sqlstore

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// forEachStore runs fn against a fresh SQLite store and a fresh PostgreSQL
// schema (see testenv for when PostgreSQL is skipped or required).
func forEachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLiteStore(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, newPostgresStore(t)) })
}

func newSQLiteStore(t testing.TB) *Store {
	t.Helper()
	return openStore(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

func newPostgresStore(t testing.TB) *Store {
	t.Helper()
	return openStore(t, testenv.PostgresURL(t))
}

func openStore(t testing.TB, url string) *Store {
	s, err := Open(context.Background(), url, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var quiet = slog.New(slog.DiscardHandler)

func asError(err error, target **mkg.Error) bool { return errors.As(err, target) }
