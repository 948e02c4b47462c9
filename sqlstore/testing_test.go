package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/bmkg/mkggraph/mkg"
)

// forEachStore runs fn against a fresh SQLite store and, when
// TEST_DATABASE_URL is set, a fresh PostgreSQL schema. With
// MKG_REQUIRE_SERVICES=1 (as CI sets it) a missing PostgreSQL fails the test
// instead of skipping it.
func forEachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newSQLiteStore(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, newPostgresStore(t)) })
}

func newSQLiteStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"), Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newPostgresStore(t *testing.T) *Store {
	t.Helper()
	u := postgresURL(t)
	s, err := Open(context.Background(), u, Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// postgresURL creates an empty schema for the test and returns a URL whose
// search_path points at it; the schema is dropped afterwards.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("MKG_REQUIRE_SERVICES") == "1" {
			t.Fatal("TEST_DATABASE_URL is not set but MKG_REQUIRE_SERVICES=1: the PostgreSQL suite must run")
		}
		t.Skip("TEST_DATABASE_URL not set")
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL is not usable: %v", err)
	}
	t.Cleanup(func() {
		a, err := sqlx.Open("postgres", base)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func asError(err error, target **mkg.Error) bool { return errors.As(err, target) }

var quiet = slog.New(slog.DiscardHandler)
