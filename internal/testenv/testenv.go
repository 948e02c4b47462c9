// Package testenv gives tests the real services they run against:
// PostgreSQL from TEST_DATABASE_URL (a fresh schema per test) and Redis from
// TEST_REDIS_URL (a fresh key prefix per test). Without the variables those
// tests are skipped, unless MKG_REQUIRE_SERVICES=1 (as CI sets it), in which
// case they fail: a suite that silently skips in CI proves nothing.
package testenv

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver
)

// Required reports whether missing services must fail tests.
func Required() bool { return os.Getenv("MKG_REQUIRE_SERVICES") == "1" }

func missing(t testing.TB, env string) {
	t.Helper()
	Missing(t, env+" is not set")
}

// Missing skips the test for want of what it needs, or fails it when
// MKG_REQUIRE_SERVICES=1.
func Missing(t testing.TB, what string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s, but MKG_REQUIRE_SERVICES=1: this suite must run", what)
	}
	t.Skip(what)
}

// RandomName returns a short random identifier with the given prefix.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// PostgresURL creates an empty schema for the test and returns a URL whose
// search_path points at it; the schema is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	if os.Getenv("TEST_DATABASE_URL") == "" {
		missing(t, "TEST_DATABASE_URL")
	}
	u, drop, err := NewPostgresSchema()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return u
}

// NewPostgresSchema creates an empty schema in TEST_DATABASE_URL's database
// and returns a URL whose search_path points at it, and a func that drops
// it; for fixtures shared by several tests (set up from TestMain).
func NewPostgresSchema() (string, func(), error) {
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return "", nil, errors.New("TEST_DATABASE_URL is not set")
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	schema := RandomName("t_")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		return "", nil, fmt.Errorf("PostgreSQL at TEST_DATABASE_URL is not usable: %w", err)
	}
	drop := func() {
		if a, err := sqlx.Open("postgres", base); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// RedisURL returns TEST_REDIS_URL and a fresh key prefix for the test.
func RedisURL(t testing.TB) (url, prefix string) {
	t.Helper()
	u := os.Getenv("TEST_REDIS_URL")
	if u == "" {
		missing(t, "TEST_REDIS_URL")
	}
	return u, RandomName("test:") + ":"
}
