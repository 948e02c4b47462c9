package testsvc

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestServicesFreezeKillRestart: the helpers do what they say, so a fault
// test that passes is not passing against a server that never froze.
func TestServicesFreezeKillRestart(t *testing.T) {
	t.Parallel()
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		r := Redis(t)
		if err := redisPing(r.Addr()); err != nil {
			t.Fatal(err)
		}
		r.Freeze()
		if err := redisPing(r.Addr()); err == nil {
			t.Error("a frozen Redis answered PING")
		}
		r.Thaw()
		if err := redisPing(r.Addr()); err != nil {
			t.Errorf("after thaw: %v", err)
		}
		r.Kill()
		if err := redisPing(r.Addr()); err == nil {
			t.Error("a killed Redis answered PING")
		}
		r.Restart()
		if err := redisPing(r.Addr()); err != nil {
			t.Errorf("after restart: %v", err)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		pg := StartPostgres(t)
		db, err := sql.Open("postgres", pg.URL())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		query := func() error {
			var n int
			done := make(chan error, 1)
			go func() { done <- db.QueryRow("SELECT 1").Scan(&n) }()
			select {
			case err := <-done:
				return err
			case <-time.After(time.Second):
				return context.DeadlineExceeded
			}
		}
		if err := query(); err != nil {
			t.Fatal(err)
		}
		pg.Freeze()
		if err := query(); err == nil {
			t.Error("a frozen PostgreSQL answered")
		}
		pg.Thaw()
		pg.Kill()
		pg.Restart()
		db2, _ := sql.Open("postgres", pg.URL())
		defer db2.Close()
		if err := db2.Ping(); err != nil {
			t.Errorf("after restart: %v", err)
		}
	})
}
