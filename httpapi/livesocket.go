package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
)

// socketAcceptor accepts WebSocket connections for gqlgen's transport
// (github.com/coder/websocket, as gqlgen's own adapter), with what that
// adapter lacks (the browser origin is checked before, by refuseSocket): a
// deadline on every write (a client that stops reading is cut off, never
// holds the server), and a way for a session to close the connection with
// its own code and reason.
type socketAcceptor struct {
	writeTimeout time.Duration
}

func (a socketAcceptor) Accept(w http.ResponseWriter, r *http.Request, opt transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	for k, vs := range opt.ResponseHeader {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	c, err := websocket.Accept(smallBuffers{w}, r, &websocket.AcceptOptions{Subprotocols: opt.Subprotocols,
		InsecureSkipVerify: true}) // the origin was checked before (refuseSocket), against the configured list
	if err != nil {
		return nil, err
	}
	sc := &socketConn{conn: c, writeTimeout: a.writeTimeout}
	if h, _ := r.Context().Value(socketHolderKey{}).(*socketHolder); h != nil {
		h.conn = sc
		if h.accepted != nil {
			close(h.accepted)
		}
	}
	return sc, nil
}

// The buffers a WebSocket connection reads and writes through. Clients
// send little (a subscribe, pongs); a larger message or frame goes around
// the buffer (bufio reads and writes it directly).
const (
	socketReadBuffer  = 512
	socketWriteBuffer = 1024
)

// smallBuffers hands coder/websocket a hijacked connection with buffers of
// socketReadBuffer and socketWriteBuffer bytes instead of net/http's 4 KB
// ones: an idle connection holds them for its whole life.
type smallBuffers struct{ http.ResponseWriter }

func (s smallBuffers) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(s.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	// net/http flushed the response (101) before handing the connection
	// over; what the client sent after its request may be buffered.
	pending, _ := brw.Reader.Peek(brw.Reader.Buffered())
	n := len(pending)
	br := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(pending)), conn), max(socketReadBuffer, n))
	if n > 0 {
		br.Peek(n) // they are buffered again, before anything new is read
	}
	return conn, bufio.NewReadWriter(br, bufio.NewWriterSize(conn, socketWriteBuffer)), nil
}

// socketConn is a transport.WebsocketConn over coder/websocket.
type socketConn struct {
	conn         *websocket.Conn
	writeTimeout time.Duration

	mu       sync.Mutex
	deadline *time.Timer // closes the connection unless a pong comes first
	pinger   *time.Timer // the next keep-alive ping
	closing  bool
	closed   bool
}

var (
	_ transport.WebsocketConn          = (*socketConn)(nil)
	_ transport.WebsocketReadLimiter   = (*socketConn)(nil)
	_ transport.WebsocketReadDeadliner = (*socketConn)(nil)
)

func (c *socketConn) NextReader() (int, io.Reader, error) {
	typ, data, err := c.conn.Read(context.Background())
	if err != nil {
		switch websocket.CloseStatus(err) {
		case websocket.StatusNormalClosure, websocket.StatusNoStatusRcvd:
			return int(typ), nil, transport.ErrWebsocketClosed
		}
		return int(typ), nil, err
	}
	return int(typ), bytes.NewReader(data), nil
}

func (c *socketConn) WriteJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if c.writeTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.writeTimeout)
		defer cancel()
	}
	return c.conn.Write(ctx, websocket.MessageText, b)
}

// WriteClose starts the close handshake in the background (coder's Close
// waits up to 5 s for the peer's answer, then closes anyway).
func (c *socketConn) WriteClose(code int, reason string) error {
	c.terminate(code, reason)
	return nil
}

// terminate closes the connection with code and reason, once.
func (c *socketConn) terminate(code int, reason string) {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return
	}
	c.closing = true
	c.mu.Unlock()
	if len(reason) > 120 { // a close frame's reason is at most 123 bytes
		reason = reason[:120]
	}
	go c.conn.Close(websocket.StatusCode(code), reason)
}

func (c *socketConn) Close() error {
	c.mu.Lock()
	closing := c.closing
	c.closed = true
	if c.deadline != nil {
		c.deadline.Stop()
	}
	if c.pinger != nil {
		c.pinger.Stop()
	}
	c.mu.Unlock()
	if closing {
		return nil // the close handshake owns the connection
	}
	return c.conn.CloseNow()
}

func (c *socketConn) Subprotocol() string { return c.conn.Subprotocol() }

func (c *socketConn) SetReadLimit(n int64) { c.conn.SetReadLimit(n) }

// SetReadDeadline closes the connection when nothing (a pong) was read by
// t: a peer that vanished is noticed within two keep-alive intervals.
func (c *socketConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.setDeadlineLocked(t)
	return nil
}

func (c *socketConn) setDeadlineLocked(t time.Time) {
	if c.deadline != nil {
		c.deadline.Stop()
		c.deadline = nil
	}
	if !t.IsZero() {
		c.deadline = time.AfterFunc(time.Until(t), func() { c.conn.CloseNow() })
	}
}

// pingMessage is graphql-transport-ws's ping.
var pingMessage = []byte(`{"type":"ping"}`)

// keepAlive pings the client every interval (graphql-transport-ws) and
// closes the connection when a ping is not answered within two intervals,
// as gqlgen's PingPongInterval does, but from a timer: no goroutine waits
// between pings (gqlgen's keeps one per connection). gqlgen's read loop
// takes the pong and clears the deadline (SetReadDeadline(time.Time{})).
func (c *socketConn) keepAlive(every time.Duration) {
	if every <= 0 || c.conn.Subprotocol() != "graphql-transport-ws" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.closing {
		return
	}
	c.setDeadlineLocked(time.Now().Add(2 * every))
	c.pinger = time.AfterFunc(every, func() { c.ping(every) })
}

func (c *socketConn) ping(every time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), max(c.writeTimeout, every))
	defer cancel()
	if c.conn.Write(ctx, websocket.MessageText, pingMessage) != nil {
		return // the connection is going
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.closing {
		return
	}
	if c.deadline == nil { // the last ping was answered
		c.setDeadlineLocked(time.Now().Add(2 * every))
	}
	c.pinger.Reset(every)
}
