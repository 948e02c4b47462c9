package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/mkg"
)

// LiveLimits bound subscriptions (WebSocket and server-sent events).
type LiveLimits struct {
	PerConnection int           // subscriptions of one WebSocket connection
	PerAccount    int           // connections of one account (anonymous callers: by address only)
	PerAddress    int           // connections from one client address
	KeepAlive     time.Duration // WebSocket ping / SSE comment interval
	WriteTimeout  time.Duration // one message's write; a client that does not read is cut off
	Buffer        int           // events waiting for one subscriber before it is cut off as slow
}

// DefaultLiveLimits are the defaults the configuration documents.
var DefaultLiveLimits = LiveLimits{PerConnection: 20, PerAccount: 50, PerAddress: 100, KeepAlive: 15 * time.Second,
	WriteTimeout: 10 * time.Second, Buffer: 64}

// WebSocket close codes this server ends a connection with, besides
// RFC 6455's: 1008 policy (slow consumer, a limit), 1011 (authentication
// unavailable), 1012 (service restart: reconnect).
const (
	closeUnauthorized = 4401 // the key was refused, revoked or expired
	closeForbidden    = 4403 // the account was suspended or revoked
	closeTooMany      = 4429 // too many connections
	closePolicy       = 1008
	closeRestart      = 1012
	closeUnavailable  = 1011
)

// sessions is what an instance holds of its live connections: counts for
// the limits and every session, to end them at shutdown.
type sessions struct {
	mu        sync.Mutex
	all       map[*session]bool
	byAccount map[int64]int
	byAddress map[string]int
	closing   bool
}

func (s *sessions) add(ss *session, lim LiveLimits) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return &mkg.Error{Code: mkg.EUNAVAILABLE, Message: "the server is shutting down: reconnect to another instance"}
	case lim.PerAddress > 0 && s.byAddress[ss.client] >= lim.PerAddress:
		return &mkg.Error{Code: "TOO_MANY_REQUESTS", Message: fmt.Sprintf("at most %d live connections per client address", lim.PerAddress)}
	case ss.account != 0 && lim.PerAccount > 0 && s.byAccount[ss.account] >= lim.PerAccount:
		return &mkg.Error{Code: "TOO_MANY_REQUESTS", Message: fmt.Sprintf("at most %d live connections per account", lim.PerAccount)}
	}
	s.all[ss] = true
	s.byAddress[ss.client]++
	if ss.account != 0 {
		s.byAccount[ss.account]++
	}
	return nil
}

func (s *sessions) remove(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.all[ss] {
		return
	}
	delete(s.all, ss)
	if s.byAddress[ss.client]--; s.byAddress[ss.client] <= 0 {
		delete(s.byAddress, ss.client)
	}
	if ss.account != 0 {
		if s.byAccount[ss.account]--; s.byAccount[ss.account] <= 0 {
			delete(s.byAccount, ss.account)
		}
	}
}

// Count returns how many live connections the instance holds.
func (s *sessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.all)
}

// shutdown ends every session, telling clients to reconnect, and refuses
// new ones.
func (s *sessions) shutdown() {
	s.mu.Lock()
	s.closing = true
	all := make([]*session, 0, len(s.all))
	for ss := range s.all {
		all = append(all, ss)
	}
	s.mu.Unlock()
	for _, ss := range all {
		ss.End(mkg.EndShutdown, "the server is restarting: reconnect")
	}
}

// session is one live connection's hold on its caller (mkg.Session).
type session struct {
	srv       *Server
	header    string // the Authorization the connection was opened with
	client    string
	account   int64
	suspended bool // at the start: a suspension later ends the session
	principal *mkg.LivePrincipal
	loaders   *dataloaders.Live
	running   chan struct{} // one slot per subscription allowed
	end       func(code int, reason string)

	once  sync.Once
	ended atomic.Pointer[string] // why, once ended
}

var _ mkg.Session = (*session)(nil)

func (s *Server) newSession(ctx context.Context, header, client string, p *mkg.Principal) *session {
	ss := &session{srv: s, header: header, client: client, principal: mkg.NewLivePrincipal(p),
		loaders: dataloaders.NewLive(s.Loaders, s.LoaderOptions), running: make(chan struct{}, max(1, s.Live.PerConnection))}
	if !p.Anonymous() {
		ss.account = p.Account.ID
		ss.suspended = p.Account.Status == mkg.AccountSuspended
	}
	return ss
}

// context returns ctx carrying the session, its caller and its loaders.
func (ss *session) context(ctx context.Context) context.Context {
	ctx = mkg.WithSession(ctx, ss)
	ctx = mkg.WithLivePrincipal(ctx, ss.principal)
	return dataloaders.WithLive(ctx, ss.loaders)
}

// Refresh implements mkg.Session.
func (ss *session) Refresh(ctx context.Context) error {
	if why := ss.ended.Load(); why != nil {
		return errors.New(*why)
	}
	p, err := ss.srv.Auth.Authenticate(ctx, ss.header, ss.client)
	var refused *mkg.Error
	switch {
	case errors.As(err, &refused) && refused.Code == mkg.EUNAUTHENTICATED:
		ss.End(mkg.EndRevoked, refused.Message)
		return err
	case err != nil:
		ss.srv.outage.Log(ctx, slog.LevelError, "live authentication: "+mkg.ErrorCode(err), "live: authentication failed", slog.Any("err", err))
		ss.endWith(closeUnavailable, "authentication is unavailable; reconnect shortly")
		return err
	case !p.Anonymous() && p.Account.Status == mkg.AccountSuspended && !ss.suspended:
		ss.endWith(closeForbidden, "the account is suspended")
		return errors.New("suspended")
	case !p.Anonymous() && p.Account.Status != mkg.AccountActive && p.Account.Status != mkg.AccountSuspended:
		ss.endWith(closeForbidden, "the account is not active")
		return errors.New("inactive")
	}
	ss.principal.Set(p)
	ss.loaders.Renew()
	return nil
}

// Start implements mkg.Session.
func (ss *session) Start() (func(), error) {
	select {
	case ss.running <- struct{}{}:
		return func() { <-ss.running }, nil
	default:
		return nil, &mkg.Error{Code: "TOO_MANY_REQUESTS", Message: fmt.Sprintf("at most %d subscriptions per connection", cap(ss.running))}
	}
}

// End implements mkg.Session.
func (ss *session) End(why mkg.SessionEnd, reason string) {
	code := closePolicy
	switch why {
	case mkg.EndRevoked:
		code = closeUnauthorized
	case mkg.EndShutdown:
		code = closeRestart
	}
	ss.endWith(code, reason)
}

func (ss *session) endWith(code int, reason string) {
	ss.once.Do(func() {
		ss.ended.Store(&reason)
		ss.srv.Log.Info("live connection ended", "code", code, "reason", reason, "account", ss.account)
		// Not on the caller's goroutine: the bus's delivery ends slow
		// consumers, and must not wait for their sockets.
		go ss.end(code, reason)
	})
}

// isLive reports whether a request opens a subscription's stream: a
// WebSocket upgrade, or a POST asking for server-sent events.
func isLive(r *http.Request) bool {
	return r.Header.Get("Upgrade") != "" || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// live serves subscriptions. It is apart from the request path of queries:
// no response cache, no request timeout, and no turn of
// -max-running-requests held for a stream's whole life; its own limits
// (LiveLimits) bound it instead. Documents go through the same executor,
// so the same depth, cost and validation limits.
func (s *Server) live() http.Handler {
	// No PingPongInterval: gqlgen would run a goroutine per connection
	// for it; socketConn.keepAlive pings from a timer instead.
	ws := transport.Websocket{
		Implementation: socketAcceptor{writeTimeout: s.Live.WriteTimeout},
		InitFunc:       s.initSocket,
		InitTimeout:    10 * time.Second,
	}
	sse := transport.SSE{KeepAlivePingInterval: s.Live.KeepAlive}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(graphql.StartOperationTrace(r.Context()))
		if r.Header.Get("Upgrade") != "" {
			if status, msg := s.refuseSocket(r); status != 0 {
				// Answered here: gqlgen's transport would answer 400
				// whatever the cause and write a line to the standard log.
				writeJSON(w, status, gqlErrorBody(msg, "BAD_REQUEST", ""))
				return
			}
			s.serveSocket(w, r, ws)
			return
		}
		if !sse.Supports(r) {
			writeJSON(w, http.StatusBadRequest, gqlErrorBody("server-sent events: POST the query as JSON (Content-Type: application/json) with Accept: text/event-stream", "BAD_REQUEST", ""))
			return
		}
		s.serveEvents(w, r, sse)
	})
}

// serveSocket serves a WebSocket connection on a goroutine of its own and
// returns as soon as the connection is taken over from net/http (or
// refused): net/http's connection goroutine then ends, and with it what it
// holds (its 4 KB read and write buffers; the connection gets smaller
// ones, see smallBuffers), which thousands of idle subscribers would keep.
// The request is logged then (status 101); the connection's life is
// counted by the live metrics, not as a request's time.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request, ws transport.Websocket) {
	h := &socketHolder{header: r.Header.Get("Authorization"), client: s.clientIP(r), accepted: make(chan struct{})}
	// net/http cancels the request's context when the handler returns.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	r = r.WithContext(context.WithValue(ctx, socketHolderKey{}, h))
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		defer func() {
			if p := recover(); p != nil { // out of net/http's reach now: log it as it would
				s.Log.Error("panic in a WebSocket connection", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			}
		}()
		ws.Do(w, r, s.GraphQL)
		if h.session != nil {
			s.sessions.remove(h.session)
		}
	}()
	select {
	case <-h.accepted:
	case <-done:
	}
}

// serveEvents serves one subscription as server-sent events. The caller
// was authenticated from the Authorization header (withPrincipal).
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request, sse transport.SSE) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	ss := s.newSession(ctx, r.Header.Get("Authorization"), s.clientIP(r), mkg.PrincipalFrom(r.Context()))
	out := &eventWriter{ResponseWriter: w, rc: http.NewResponseController(w), timeout: s.Live.WriteTimeout}
	ss.end = func(code int, reason string) {
		out.final(code, reason)
		cancel()
	}
	if err := s.sessions.add(ss, s.Live); err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		writeJSON(w, http.StatusTooManyRequests, gqlErrorBody(err.Error(), mkg.ErrorCode(err), ""))
		return
	}
	defer s.sessions.remove(ss)
	sse.Do(out, r.WithContext(ss.context(ctx)), s.GraphQL)
}

// eventWriter writes server-sent events with a deadline on each write, so
// that a client that stops reading is cut off instead of holding a
// goroutine; and, when a session ends, one last event saying why.
type eventWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	mu      sync.Mutex
	done    bool
}

func (e *eventWriter) Write(b []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done {
		return 0, http.ErrHandlerTimeout
	}
	if e.timeout > 0 {
		e.rc.SetWriteDeadline(time.Now().Add(e.timeout))
	}
	return e.ResponseWriter.Write(b)
}

func (e *eventWriter) Flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.done {
		e.rc.Flush()
	}
}

// final writes the reason a session ended as an event of its own
// (`event: end`, data: {"code", "reason"}) and stops further writes.
func (e *eventWriter) final(code int, reason string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.done {
		return
	}
	e.done = true
	if code == closePolicy && strings.HasPrefix(reason, "slow consumer") {
		return // it does not read: nothing more is written
	}
	e.rc.SetWriteDeadline(time.Now().Add(time.Second))
	fmt.Fprintf(e.ResponseWriter, "event: end\ndata: {\"code\":%d,\"reason\":%q}\n\n", code, reason)
	e.rc.Flush()
}

// socketHolder carries, from the upgrade request to the connection's
// init, what the WebSocket transport does not pass on: the request's own
// Authorization header, the client address, the accepted connection, and
// back the session.
type socketHolder struct {
	header, client string
	conn           *socketConn
	session        *session
	accepted       chan struct{} // closed once the connection is accepted (net/http lets it go)
}

type socketHolderKey struct{}

// initSocketKeys are the connection_init payload keys a key is read from,
// in order: graphql-ws clients send the headers they would send over HTTP,
// under various spellings.
var initSocketKeys = []string{"Authorization", "authorization", "authToken", "token"}

func initPayloadKey(p transport.InitPayload) string {
	for _, k := range initSocketKeys {
		if v := p.GetString(k); v != "" {
			if !strings.Contains(v, " ") {
				v = "Bearer " + v
			}
			return v
		}
	}
	if h, ok := p["headers"].(map[string]any); ok {
		for k, v := range h {
			if s, ok := v.(string); ok && strings.EqualFold(k, "Authorization") {
				return s
			}
		}
	}
	return ""
}

// initSocket authenticates a WebSocket connection from its init payload
// (or the upgrade request's Authorization header) and opens its session.
func (s *Server) initSocket(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	h, _ := ctx.Value(socketHolderKey{}).(*socketHolder)
	if h == nil || h.conn == nil {
		return ctx, nil, errors.New("internal error")
	}
	header := initPayloadKey(payload)
	if header == "" {
		header = h.header
	}
	refuse := func(code int, msg string) (context.Context, *transport.InitPayload, error) {
		ctx = transport.WithWebsocketCloseCode(transport.AppendCloseReason(ctx, msg), code)
		return ctx, nil, errors.New(msg)
	}
	p, err := s.Auth.Authenticate(ctx, header, h.client)
	var refused *mkg.Error
	switch {
	case errors.Is(err, mkg.ErrTooManyFailures):
		return refuse(closeTooMany, mkg.ErrTooManyFailures.Error())
	case errors.As(err, &refused) && refused.Code == mkg.EUNAUTHENTICATED:
		return refuse(closeUnauthorized, refused.Message)
	case err != nil:
		return refuse(closeUnavailable, "authentication is unavailable; try again shortly")
	}
	ctx, cancel := context.WithCancel(ctx)
	ss := s.newSession(ctx, header, h.client, p)
	ss.end = func(code int, reason string) {
		h.conn.terminate(code, reason)
		cancel()
	}
	if err := s.sessions.add(ss, s.Live); err != nil {
		cancel()
		code := closeTooMany
		if mkg.ErrorCode(err) == mkg.EUNAVAILABLE {
			code = closeRestart
		}
		return refuse(code, err.Error())
	}
	h.session = ss
	h.conn.keepAlive(s.Live.KeepAlive)
	return ss.context(ctx), nil, nil
}

// originAllowed reports whether a browser on origin may open a WebSocket:
// as for CORS, any origin with "*", else those listed. Requests without an
// Origin (not from a browser) are allowed.
// refuseSocket checks a WebSocket opening before it reaches the transport:
// the browser origin against -cors-origins (403), and the handshake's
// parts (400), each with its own message; 0 when it may go on.
func (s *Server) refuseSocket(r *http.Request) (int, string) {
	if !originAllowed(s.CORSOrigins, r.Header.Get("Origin")) {
		return http.StatusForbidden, "WebSocket: this origin is not allowed (-cors-origins)"
	}
	switch {
	case r.Method != http.MethodGet:
		return http.StatusBadRequest, "WebSocket: the opening handshake is a GET"
	case !headerHasToken(r.Header, "Connection", "upgrade") || !headerHasToken(r.Header, "Upgrade", "websocket"):
		return http.StatusBadRequest, "WebSocket: the handshake needs Connection: Upgrade and Upgrade: websocket"
	case r.Header.Get("Sec-WebSocket-Version") != "13":
		return http.StatusBadRequest, "WebSocket: only version 13 (Sec-WebSocket-Version: 13) is served"
	case r.Header.Get("Sec-WebSocket-Key") == "":
		return http.StatusBadRequest, "WebSocket: the handshake has no Sec-WebSocket-Key"
	}
	return 0, ""
}

// headerHasToken reports whether a comma-separated header holds token,
// ignoring case.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

func originAllowed(origins []string, origin string) bool {
	return origin == "" || slices.Contains(origins, "*") || slices.Contains(origins, origin)
}
