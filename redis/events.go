package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/bmkg/mkggraph/mkg"
)

// EventsChannel is the pub/sub channel (after the key prefix) events travel
// on.
const EventsChannel = "events"

// Relay is an mkg.EventRelay on Redis pub/sub: every process sharing the
// Redis (and its key prefix) receives what the others send. Pub/sub keeps
// nothing: a process that is not connected when an event is sent never
// receives it (see the README on catching up).
type Relay struct {
	c      *Cache
	origin string // this process: its own messages are not delivered twice
	log    *slog.Logger
	// retry is the pause after a failed receive before the next attempt.
	retry time.Duration
}

var _ mkg.EventRelay = (*Relay)(nil)

// NewRelay returns a relay over c's client.
func NewRelay(c *Cache, log *slog.Logger) *Relay {
	b := make([]byte, 8)
	rand.Read(b)
	return &Relay{c: c, origin: hex.EncodeToString(b), log: log, retry: 300 * time.Millisecond}
}

type envelope struct {
	Origin string    `json:"o"`
	Event  mkg.Event `json:"e"`
}

// Send implements mkg.EventRelay: one PUBLISH, within the client's 250 ms
// timeouts.
func (r *Relay) Send(ctx context.Context, ev mkg.Event) error {
	b, err := json.Marshal(envelope{Origin: r.origin, Event: ev})
	if err != nil {
		return err
	}
	ctx, cancel := bound(ctx) // a Cluster client would retry a node that timed out
	defer cancel()
	return r.c.client.Publish(ctx, r.channel(), b).Err()
}

func (r *Relay) channel() string { return r.c.prefix + EventsChannel }

// Receive implements mkg.EventRelay. While Redis does not answer it tries
// again every 300 ms; go-redis subscribes again on the new connection.
func (r *Relay) Receive(ctx context.Context, deliver func(mkg.Event)) {
	ps := r.c.client.Subscribe(ctx, r.channel())
	// A receive blocks on the socket, not on ctx: closing ends it.
	stop := context.AfterFunc(ctx, func() { ps.Close() })
	defer func() {
		if stop() {
			ps.Close()
		}
	}()
	down := false
	for ctx.Err() == nil {
		msg, err := ps.ReceiveTimeout(ctx, 30*time.Second)
		var ne net.Error
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return
		case errors.As(err, &ne) && ne.Timeout() && !down:
			// Quiet for a while: check the connection is alive.
			if perr := ps.Ping(ctx); perr == nil {
				continue
			}
			fallthrough
		default:
			if !down {
				r.log.Warn("events: Redis pub/sub unreachable; other instances' events are missed until it returns", "err", err)
				down = true
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(r.retry):
			}
			continue
		}
		if down {
			r.log.Info("events: Redis pub/sub back")
			down = false
		}
		m, ok := msg.(*goredis.Message)
		if !ok {
			continue // subscription confirmations, pongs
		}
		var env envelope
		if err := json.Unmarshal([]byte(m.Payload), &env); err != nil {
			r.log.Warn("events: a message that is not an event", "err", err)
			continue
		}
		if env.Origin != r.origin {
			deliver(env.Event)
		}
	}
}
