package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
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
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: opt.Subprotocols,
		InsecureSkipVerify: true}) // the origin was checked before (refuseSocket), against the configured list
	if err != nil {
		return nil, err
	}
	sc := &socketConn{conn: c, writeTimeout: a.writeTimeout}
	if h, _ := r.Context().Value(socketHolderKey{}).(*socketHolder); h != nil {
		h.conn = sc
	}
	return sc, nil
}

// socketConn is a transport.WebsocketConn over coder/websocket.
type socketConn struct {
	conn         *websocket.Conn
	writeTimeout time.Duration

	mu       sync.Mutex
	deadline *time.Timer
	closing  bool
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
	if c.deadline != nil {
		c.deadline.Stop()
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
	if c.deadline != nil {
		c.deadline.Stop()
		c.deadline = nil
	}
	if !t.IsZero() {
		c.deadline = time.AfterFunc(time.Until(t), func() { c.conn.CloseNow() })
	}
	return nil
}
