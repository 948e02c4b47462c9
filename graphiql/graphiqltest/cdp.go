package graphiqltest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// conn is a Chrome DevTools Protocol connection to the browser endpoint.
// Commands for a page carry the page's session id ("flattened" sessions),
// so one WebSocket serves the browser and all its pages.
type conn struct {
	ws *wsConn

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]chan reply
	handlers map[string]func(event) // by session id
	err      error                  // set once the read loop stops
	done     chan struct{}
}

type event struct {
	Method string
	Params json.RawMessage
}

type reply struct {
	result json.RawMessage
	err    error
}

// message is every shape DevTools sends: a reply (ID set) or an event.
type message struct {
	ID        int64           `json:"id"`
	Result    json.RawMessage `json:"result"`
	Error     *protocolError  `json:"error"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	SessionID string          `json:"sessionId"`
}

type protocolError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data"`
}

func (e *protocolError) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("devtools: %s (%d): %s", e.Message, e.Code, e.Data)
	}
	return fmt.Sprintf("devtools: %s (%d)", e.Message, e.Code)
}

func newConn(ws *wsConn) *conn {
	c := &conn{
		ws:       ws,
		pending:  map[int64]chan reply{},
		handlers: map[string]func(event){},
		done:     make(chan struct{}),
	}
	go c.readLoop()
	return c
}

func (c *conn) readLoop() {
	var err error
	for {
		var data []byte
		if data, err = c.ws.ReadMessage(); err != nil {
			break
		}
		var m message
		if json.Unmarshal(data, &m) != nil {
			continue // not ours to judge; DevTools only sends JSON
		}
		c.dispatch(m)
	}
	c.mu.Lock()
	c.err = err
	for id, ch := range c.pending {
		ch <- reply{err: fmt.Errorf("devtools connection lost: %w", err)}
		delete(c.pending, id)
	}
	c.mu.Unlock()
	close(c.done)
}

func (c *conn) dispatch(m message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m.ID != 0 {
		if ch, ok := c.pending[m.ID]; ok {
			delete(c.pending, m.ID)
			r := reply{result: m.Result}
			if m.Error != nil {
				r.err = m.Error
			}
			ch <- r // buffered
		}
		return
	}
	if h := c.handlers[m.SessionID]; h != nil {
		h(event{m.Method, m.Params})
	}
}

// handle sets the event handler of a session ("" = the browser). The
// handler runs on the read loop: it must not block or call back into conn.
func (c *conn) handle(session string, h func(event)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h == nil {
		delete(c.handlers, session)
	} else {
		c.handlers[session] = h
	}
}

// call sends a command and decodes its result into out (when not nil).
func (c *conn) call(ctx context.Context, session, method string, params, out any) error {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return fmt.Errorf("devtools connection lost: %w", c.err)
	}
	c.nextID++
	id := c.nextID
	ch := make(chan reply, 1)
	c.pending[id] = ch
	c.mu.Unlock()

	if params == nil {
		params = struct{}{}
	}
	req, err := json.Marshal(struct {
		ID        int64  `json:"id"`
		Method    string `json:"method"`
		Params    any    `json:"params"`
		SessionID string `json:"sessionId,omitempty"`
	}{id, method, params, session})
	if err == nil {
		err = c.ws.WriteText(req)
	}
	if err != nil {
		c.forget(id)
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return fmt.Errorf("%s: %w", method, r.err)
		}
		if out != nil {
			return json.Unmarshal(r.result, out)
		}
		return nil
	case <-ctx.Done():
		c.forget(id)
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *conn) close() error {
	err := c.ws.Close()
	<-c.done
	if errors.Is(err, errClosed) {
		return nil
	}
	return err
}
