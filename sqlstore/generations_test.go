package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
)

// twoInstances opens two stores on one database, as two server instances
// (or a server and an ingest command) would.
func twoInstances(t *testing.T, fn func(t *testing.T, a, b *Store)) {
	t.Run("sqlite", func(t *testing.T) {
		url := "sqlite:" + filepath.Join(t.TempDir(), "test.db")
		fn(t, openStore(t, url), openStore(t, url))
	})
	t.Run("postgres", func(t *testing.T) {
		url := testenv.PostgresURL(t)
		fn(t, openStore(t, url), openStore(t, url))
	})
}

// classify makes an access change through s (it advances the access
// generation in its transaction).
func classify(t *testing.T, s *Store, c mkg.Classification) {
	t.Helper()
	if _, err := s.SetClassification(context.Background(), mkg.Actor{Label: "test"}, mkg.DatasetLightning, c); err != nil {
		t.Fatal(err)
	}
}

func generation(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	g, err := s.Generation(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGenerationSeenAtOnceByItsInstance: the instance that made a change
// sees the new generation on its very next read, from memory after that.
func TestGenerationSeenAtOnceByItsInstance(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		before := generation(t, s, mkg.GenAccess)
		classify(t, s, mkg.Open)
		if g := generation(t, s, mkg.GenAccess); g != before+1 {
			t.Fatalf("generation after a change = %d, want %d", g, before+1)
		}
		n := s.Statements()
		generation(t, s, mkg.GenAccess)
		if d := s.Statements() - n; d != 0 {
			t.Errorf("a fresh generation cost %d statements, want none", d)
		}
		if _, err := s.Generation(context.Background(), "nonsense"); mkg.ErrorCode(err) != mkg.EINTERNAL {
			t.Errorf("unknown generation: %v", err)
		}
	})
}

// TestGenerationSeenByOtherInstances: another instance that is not
// watching trusts its view for at most a second, so a change is in force
// there a second later at the latest; one that watches sees it sooner
// (PostgreSQL: notified; SQLite: polled).
func TestGenerationSeenByOtherInstances(t *testing.T) {
	twoInstances(t, func(t *testing.T, a, b *Store) {
		before := generation(t, b, mkg.GenAccess)
		classify(t, a, mkg.Registered)
		time.Sleep(freshFor)
		if g := generation(t, b, mkg.GenAccess); g != before+1 {
			t.Fatalf("other instance, %v after the change: generation %d, want %d", freshFor, g, before+1)
		}

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Watch(ctx)
		time.Sleep(2 * pollEvery) // the listener is up
		classify(t, a, mkg.Restricted)
		changed := time.Now()
		for {
			if g, ok := b.gens.fresh(mkg.GenAccess); ok && g == before+2 {
				t.Logf("%s: a watching instance saw the change after %v", a.Dialect(), time.Since(changed).Round(time.Millisecond))
				break
			}
			if time.Since(changed) > freshFor {
				t.Fatalf("a watching instance did not see the change within %v", freshFor)
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// TestGenerationReadFailureIsAnError: with the database gone and the view
// expired, a generation is an error, never a guess.
func TestGenerationReadFailureIsAnError(t *testing.T) {
	s := newSQLiteStore(t)
	generation(t, s, mkg.GenStations)
	s.gens.stale()
	s.db.Close()
	if _, err := s.Generation(context.Background(), mkg.GenStations); err == nil {
		t.Fatal("generation read from a closed database: no error")
	}
}
