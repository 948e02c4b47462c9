package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/internal/testsvc"
)

// TestFrozenPostgresEndsWithTheContext: with the server frozen (SIGSTOP,
// as a hung host behaves), every operation ends when its context does, on
// pooled connections and on new ones alike, and none of the connections
// that hung is handed out again once the server is back.
func TestFrozenPostgresEndsWithTheContext(t *testing.T) {
	t.Parallel()
	pg := testsvc.StartPostgres(t)
	s, err := Connect(context.Background(), pg.URL(), Options{Logger: quiet, MaxOpenConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	// Four pooled connections; the other operations below open new ones.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { s.db.ExecContext(context.Background(), `SELECT pg_sleep(0.05)`) })
	}
	wg.Wait()
	// A prepared read, prepared before the freeze (prepared.go).
	var one int
	if err := sqlx.GetContext(context.Background(), s.reads(), &one, `SELECT 1`); err != nil || !s.Prepared(`SELECT 1`) {
		t.Fatalf("prepared read: %v (prepared: %v)", err, s.Prepared(`SELECT 1`))
	}

	pg.Freeze()
	const timeout = 300 * time.Millisecond
	ops := map[string]func(ctx context.Context) error{
		"ping": s.Ping,
		"query": func(ctx context.Context) error {
			var n int
			return s.db.GetContext(ctx, &n, `SELECT 1`)
		},
		"transaction": func(ctx context.Context) error {
			return s.tx(ctx, func(q sqlx.ExtContext) error {
				_, err := q.ExecContext(ctx, `SELECT 1`)
				return err
			})
		},
		"prepared read": func(ctx context.Context) error {
			var n int
			return sqlx.GetContext(ctx, s.reads(), &n, `SELECT 1`)
		},
	}
	results := make(chan string, 3*len(ops))
	var waiting sync.Map // the operations not ended yet, by name and number
	for name, op := range ops {
		for i := range 3 {
			waiting.Store(fmt.Sprintf("%s %d", name, i), true)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				defer cancel()
				start := time.Now()
				err := op(ctx)
				waiting.Delete(fmt.Sprintf("%s %d", name, i))
				switch d := time.Since(start); {
				case err == nil:
					results <- fmt.Sprintf("%s %d: succeeded against a frozen server", name, i)
				case !errors.Is(err, context.DeadlineExceeded):
					results <- fmt.Sprintf("%s %d: %v, want a deadline error", name, i, err)
				case d > timeout+700*time.Millisecond:
					results <- fmt.Sprintf("%s %d: ended %v after a %v deadline", name, i, d, timeout)
				default:
					results <- ""
				}
			}()
		}
	}
	deadline := time.After(timeout + 2*time.Second)
	pending := 3 * len(ops)
	for pending > 0 {
		select {
		case r := <-results:
			pending--
			if r != "" {
				t.Error(r)
			}
		case <-deadline:
			var names []string
			waiting.Range(func(k, _ any) bool { names = append(names, k.(string)); return true })
			t.Errorf("%d of %d operations still wait on the frozen server after %v: %v", pending, 3*len(ops), timeout+2*time.Second, names)
			pg.Thaw()
			for ; pending > 0; pending-- {
				<-results
			}
		}
	}
	pg.Thaw()

	// Back: every answer is the answer to its own question (a hung
	// connection reused would deliver the frozen query's late answer).
	start := time.Now()
	for i := range 40 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var n int
		err := s.db.GetContext(ctx, &n, `SELECT $1::int`, i)
		cancel()
		if err != nil || n != i {
			t.Fatalf("after thaw, SELECT %d = %d, %v", i, n, err)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("40 queries after thaw took %v", d)
	}
}

// TestPreparedReadOutlivesItsContext: a prepared read's connection follows
// the context of each run, not the one it was prepared under: a request
// that ended must not expire the socket under the next request that runs
// the statement there (which made every prepared read after the first
// request's end fail and its connection be replaced).
func TestPreparedReadOutlivesItsContext(t *testing.T) {
	s, err := Connect(context.Background(), testenv.PostgresURL(t), Options{Logger: quiet, MaxOpenConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	const pidQuery = `SELECT pg_backend_pid()`
	ctx, cancel := context.WithCancel(context.Background())
	var first int
	if err := sqlx.GetContext(ctx, s.reads(), &first, pidQuery); err != nil {
		t.Fatal(err)
	}
	cancel()
	if !s.Prepared(pidQuery) {
		t.Fatal("the read did not run prepared")
	}
	for i := range 3 {
		var pid int
		if err := sqlx.GetContext(context.Background(), s.reads(), &pid, pidQuery); err != nil {
			t.Fatalf("run %d after the preparing context ended: %v", i, err)
		}
		if pid != first {
			t.Fatalf("run %d on backend %d, prepared on %d: the connection was lost and replaced", i, pid, first)
		}
	}
	// Each run still ends with its own context.
	short, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	var n int
	start := time.Now()
	err = sqlx.GetContext(short, s.reads(), &n, `SELECT 1 FROM pg_sleep(2)`)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("a prepared read past its deadline: %v after %v, want a deadline error at once", err, time.Since(start))
	}
}

// TestStatementTimeout: every session carries statement_timeout, so the
// server ends a statement nobody could wait for, even without a deadline
// on the caller's side; a URL that sets it wins.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	s, err := Connect(context.Background(), testenv.PostgresURL(t), Options{Logger: quiet, StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var setting string
	if err := s.db.Get(&setting, `SHOW statement_timeout`); err != nil || setting != "200ms" {
		t.Errorf("statement_timeout = %q, %v; want 200ms", setting, err)
	}
	start := time.Now()
	_, err = s.db.Exec(`SELECT pg_sleep(5)`)
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "57014" {
		t.Errorf("a 5 s statement under a 200 ms statement_timeout: %v, want query_canceled (57014)", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("statement ended after %v", d)
	}
	if err := s.db.Get(&setting, `SHOW idle_in_transaction_session_timeout`); err != nil || setting != "200ms" {
		t.Errorf("idle_in_transaction_session_timeout = %q, %v; want 200ms", setting, err)
	}

	own, err := Connect(context.Background(), testenv.PostgresURL(t)+"&statement_timeout=1500", Options{Logger: quiet, StatementTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if err := own.db.Get(&setting, `SHOW statement_timeout`); err != nil || setting != "1500ms" {
		t.Errorf("with statement_timeout in the URL: %q, %v; want the URL's 1500ms", setting, err)
	}
}
