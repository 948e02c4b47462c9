package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/lib/pq"
)

// PostgreSQL connections that a hung server cannot hold. lib/pq ends an
// operation whose context is done only by sending PostgreSQL a cancel
// request, then keeps reading the socket; a frozen server (a stopped
// process, a hung host, a stalled network) never answers, so the caller
// would wait for as long as it stays frozen. Here every connection's socket
// follows the context of the operation using it: the context's deadline is
// the socket's, and a cancelled context expires the socket at once. The
// read then fails, lib/pq marks the connection bad, and database/sql drops
// it instead of handing it out again with an unread answer in its buffer.
//
// Below that, TCP keep-alives and TCP_USER_TIMEOUT (Linux) break
// connections to a host that stopped answering even when no context has a
// deadline (migrations, the outbox), and statement_timeout makes the
// server itself give up on statements nobody waits for any more.

// Session defaults, unless the database URL sets them.
const (
	// DefaultStatementTimeout bounds one statement on the server; a request
	// times out at 30 s by default, so no statement of one needs longer.
	DefaultStatementTimeout = 30 * time.Second
	// connectTimeout bounds opening a connection, TCP and handshake, and a
	// cancel request; the caller's context may end either sooner.
	connectTimeout = 5 * time.Second
)

// Keep-alive settings: a dead peer is noticed after about 30 s of silence.
var pgKeepAlive = net.KeepAliveConfig{Enable: true, Idle: 15 * time.Second, Interval: 5 * time.Second, Count: 3}

// pgUserTimeout is how long sent data may stay unacknowledged before the
// kernel drops the connection (Linux only; see pgconn_linux.go).
const pgUserTimeout = 20 * time.Second

// openPostgres returns a pool of deadline-following lib/pq connections with
// the session settings applied.
func openPostgres(dsn string, opt Options) (*sql.DB, error) {
	cfg, err := pq.NewConfig(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.Runtime == nil {
		cfg.Runtime = map[string]string{}
	}
	st := opt.StatementTimeout
	if st == 0 {
		st = DefaultStatementTimeout
	}
	if st > 0 {
		setDefault(cfg.Runtime, "statement_timeout", st)
		// A transaction left idle that long has lost its client; ending it
		// frees its locks and its connection slot.
		setDefault(cfg.Runtime, "idle_in_transaction_session_timeout", st)
	}
	// The API's statements are small index reads whose cost PostgreSQL
	// overestimates; compiling them (JIT, past jit_above_cost) costs more
	// than running them. A URL that sets jit wins.
	if _, ok := cfg.Runtime["jit"]; !ok {
		cfg.Runtime["jit"] = "off"
	}
	if opt.genericPlans {
		cfg.Runtime["plan_cache_mode"] = "force_generic_plan"
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	c, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, err
	}
	c.Dialer(pgDialer{})
	return sql.OpenDB(&deadlineConnector{pq: c}), nil
}

func setDefault(runtime map[string]string, name string, d time.Duration) {
	if _, ok := runtime[name]; !ok {
		runtime[name] = strconv.FormatInt(d.Milliseconds(), 10)
	}
}

// dialedKey carries, in the context of a Connect, the dialed socket's
// holder, so that the connection can be wrapped with its socket.
type dialedKey struct{}

// dialed holds the socket of a connection being opened.
type dialed struct {
	mu      sync.Mutex
	nc      net.Conn
	expired bool // the Connect's context ended: expire the socket once dialed
}

func (d *dialed) set(nc net.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.nc = nc
	if d.expired {
		nc.SetDeadline(expired)
	}
}

func (d *dialed) expire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expired = true
	if d.nc != nil {
		d.nc.SetDeadline(expired)
	}
}

// pgDialer opens TCP connections with keep-alives and a user timeout. A
// socket starts with the dialing context's deadline, which lib/pq then
// replaces with connect_timeout for the handshake (and clears once
// connected); its cancel requests keep it, so they end even when the
// server never answers them.
type pgDialer struct{}

func (pgDialer) Dial(network, addr string) (net.Conn, error) {
	return pgDialer{}.DialContext(context.Background(), network, addr)
}

func (pgDialer) DialTimeout(network, addr string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return pgDialer{}.DialContext(ctx, network, addr)
}

func (pgDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{KeepAliveConfig: pgKeepAlive, Control: setUserTimeout}
	nc, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	if h, ok := ctx.Value(dialedKey{}).(*dialed); ok {
		h.set(nc)
	}
	return nc, nil
}

// deadlineConnector makes lib/pq connections and wraps each with its socket.
type deadlineConnector struct{ pq *pq.Connector }

func (c *deadlineConnector) Driver() driver.Driver { return c.pq.Driver() }

// Connect opens a connection. Its handshake follows ctx like any
// operation: lib/pq itself watches the context only while dialing.
func (c *deadlineConnector) Connect(ctx context.Context) (driver.Conn, error) {
	h := &dialed{}
	stop := context.AfterFunc(ctx, h.expire)
	conn, err := c.pq.Connect(context.WithValue(ctx, dialedKey{}, h))
	if !stop() && err == nil {
		conn.Close()
		err = errors.New("connection to PostgreSQL interrupted")
	}
	if err != nil {
		return nil, contextError(ctx, err)
	}
	if h.nc == nil {
		conn.Close()
		return nil, errors.New("PostgreSQL connection opened without pgDialer")
	}
	h.nc.SetDeadline(time.Time{})
	return &deadlineConn{Conn: conn, nc: h.nc}, nil
}

// expired is a deadline in the past: it fails pending and future I/O at once.
var expired = time.Unix(1, 0)

// deadlineConn is a lib/pq connection whose socket follows the context of
// the operation using it (see the top of this file). database/sql uses a
// connection from one goroutine at a time; the mutex orders the context
// callbacks of earlier operations against later ones.
type deadlineConn struct {
	driver.Conn
	nc net.Conn

	mu   sync.Mutex
	op   uint64      // operations started, so a late callback of an earlier one does nothing
	stop func() bool // unregisters the current operation's callback
}

// The interfaces database/sql looks for on a lib/pq connection.
var (
	_ driver.ConnBeginTx        = (*deadlineConn)(nil)
	_ driver.ConnPrepareContext = (*deadlineConn)(nil)
	_ driver.ExecerContext      = (*deadlineConn)(nil)
	_ driver.QueryerContext     = (*deadlineConn)(nil)
	_ driver.Pinger             = (*deadlineConn)(nil)
	_ driver.SessionResetter    = (*deadlineConn)(nil)
	_ driver.Validator          = (*deadlineConn)(nil)
	_ driver.NamedValueChecker  = (*deadlineConn)(nil)
)

// follow makes the socket follow ctx until the next operation: rows, a
// prepared statement or a transaction begun under ctx keep reading under it.
func (c *deadlineConn) follow(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.op++
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
	dl, _ := ctx.Deadline() // zero (no deadline) when ctx has none
	c.nc.SetDeadline(dl)
	if ctx.Done() == nil {
		return
	}
	op := c.op
	c.stop = context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.op == op {
			c.nc.SetDeadline(expired)
		}
	})
}

// contextError names the context's end as the cause of a failure it
// caused (a socket timeout, a bad connection), so callers see a timeout
// or a cancellation, not a storage fault, and database/sql does not retry
// on another connection. The socket's deadline may pass a moment before
// the context's own timer fires: a passed deadline counts too.
func contextError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	cause := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && cause == nil && !time.Now().Before(dl) {
		cause = context.DeadlineExceeded
	}
	if cause == nil {
		return err
	}
	return fmt.Errorf("%w (%v)", cause, err)
}

func (c *deadlineConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	c.follow(ctx)
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	return tx, contextError(ctx, err)
}

func (c *deadlineConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.follow(ctx)
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, contextError(ctx, err)
	}
	if _, ok := st.(copyDataer); ok {
		return st, nil // a COPY (copy.go) runs under the context it is prepared in
	}
	return &deadlineStmt{Stmt: st, c: c}, nil
}

// deadlineStmt is a prepared statement whose every run makes the socket
// follow that run's context, not the context it was prepared under (a
// request long gone by the time another runs it on this connection).
type deadlineStmt struct {
	driver.Stmt
	c *deadlineConn
}

var (
	_ driver.StmtQueryContext = (*deadlineStmt)(nil)
	_ driver.StmtExecContext  = (*deadlineStmt)(nil)
)

// A run is given to lib/pq without its context: when a statement's
// context ends, lib/pq waits for a cancel request to be answered before
// it returns (up to 10 s against a server that hung), where a connection's
// own queries send theirs in the background. The socket's deadline ends
// the run at once instead; the connection is then dropped, and PostgreSQL
// ends the statement when it finds its client gone, or at
// statement_timeout. These are short reads (prepared.go).
func (s *deadlineStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.c.follow(ctx)
	r, err := s.Stmt.(driver.StmtQueryContext).QueryContext(context.Background(), args)
	return r, contextError(ctx, err)
}

func (s *deadlineStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.c.follow(ctx)
	r, err := s.Stmt.(driver.StmtExecContext).ExecContext(context.Background(), args)
	return r, contextError(ctx, err)
}

// stmtCloseTimeout bounds deallocating a statement: a server that hung
// must not hold whoever closes it (a pool closing the connection, the
// store closing).
const stmtCloseTimeout = time.Second

// Close deallocates the statement, under no request's context.
func (s *deadlineStmt) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), stmtCloseTimeout)
	defer cancel()
	s.c.follow(ctx)
	return s.Stmt.Close()
}

func (c *deadlineConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.follow(ctx)
	r, err := c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	return r, contextError(ctx, err)
}

func (c *deadlineConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.follow(ctx)
	r, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	return r, contextError(ctx, err)
}

func (c *deadlineConn) Ping(ctx context.Context) error {
	c.follow(ctx)
	return contextError(ctx, c.Conn.(driver.Pinger).Ping(ctx))
}

func (c *deadlineConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *deadlineConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

func (c *deadlineConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

// Close ends the connection without waiting on the server: a connection
// closed after a timeout must not hang on its goodbye.
func (c *deadlineConn) Close() error {
	c.mu.Lock()
	c.op++
	if c.stop != nil {
		c.stop()
	}
	c.nc.SetDeadline(time.Now().Add(time.Second))
	c.mu.Unlock()
	return c.Conn.Close()
}
