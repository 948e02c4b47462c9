package resolvers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// stream is one subscription: f's messages handed to the transport.
// Before each message the session reads the caller's rights again, and
// ends when they are gone. A subscriber whose buffer is full ends its
// session as a slow consumer: the bus never waits for it.
//
// A catch-up is read after the bus is listened to, so that nothing stored
// in between is missed; its messages are sent first, and a live message
// that repeats one of them is dropped. A catch-up refused (too far back,
// too many) refuses the subscription.
//
// An idle subscription holds no goroutine of its own (thousands of them
// are held open at once): the bus's delivery queues the event, and a
// goroutine is started to send what is queued only while there is
// something to send. Its end is run by context.AfterFunc.
func stream[T any](ctx context.Context, live Live, f feed[T]) (<-chan *T, error) {
	s := mkg.SessionFrom(ctx)
	if s == nil || live.Events == nil {
		return nil, &mkg.Error{Code: mkg.EINVALID, Message: "subscriptions are served over WebSocket (graphql-transport-ws) or server-sent events (Accept: text/event-stream)"}
	}
	stop, err := s.Start()
	if err != nil {
		return nil, err
	}
	if es, ok := s.(mkg.EventSession); ok {
		defer stop()
		return once(ctx, es, f.keep, f.build), nil
	}
	// running until set up: what the bus delivers meanwhile is queued.
	sub := &subscriber[T]{ctx: ctx, s: s, live: live, f: f, out: make(chan *T), limit: max(1, live.Buffer), running: true}
	cancel := live.Events.Subscribe(sub.deliver)
	if f.catchUp != nil {
		if sub.replay, err = f.catchUp(ctx); err != nil {
			cancel()
			stop()
			return nil, err
		}
	}
	closed := func() {}
	if live.Opened != nil {
		closed = live.Opened()
	}
	sub.end = func() {
		cancel()
		stop()
		closed()
	}
	sub.unwatch = context.AfterFunc(ctx, sub.finish)
	sub.mu.Lock()
	sub.running = len(sub.replay.msgs) > 0 || len(sub.queue) > 0
	if sub.running {
		go sub.send()
	}
	sub.mu.Unlock()
	return sub.out, nil
}

// subscriber is one subscription's state between the bus and the
// transport, which reads out.
type subscriber[T any] struct {
	ctx   context.Context
	s     mkg.Session
	live  Live
	f     feed[T]
	out   chan *T
	limit int // events that may wait

	replay  catchUp[T]
	end     func()      // leaves the bus, frees the session's slot
	unwatch func() bool // stops the AfterFunc of ctx
	endOnce sync.Once

	mu      sync.Mutex
	queue   []mkg.Event // allocated when an event comes, dropped when sent
	running bool        // a goroutine is sending the queue
	done    bool        // out is closed or ctx ended: nothing more is queued
	last    time.Time   // when the last message was sent (for f.every)
}

// deliver is the bus's hand-off: it queues the event and returns, never
// waiting for the client.
func (sub *subscriber[T]) deliver(ev mkg.Event) {
	if !sub.f.keep(ev) {
		return
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	switch {
	case sub.done:
		return
	case len(sub.queue) >= sub.limit:
		sub.s.End(mkg.EndSlow, fmt.Sprintf("slow consumer: more than %d events waited to be sent", sub.limit))
		return
	}
	sub.queue = append(sub.queue, ev)
	if !sub.running {
		sub.running = true
		go sub.send()
	}
}

// finish ends the subscription's hold on the bus and on the session, once
// (when ctx ends, or when the subscription ends on its own).
func (sub *subscriber[T]) finish() {
	sub.endOnce.Do(func() {
		sub.mu.Lock()
		sub.done = true
		sub.queue = nil
		sub.mu.Unlock()
		sub.end()
	})
}

// send sends the replay, if any, then what is queued, until the queue is
// empty; it is the only goroutine writing to out. When the subscription
// ends on its own (rights gone, budget spent) it closes out, which
// completes it.
func (sub *subscriber[T]) send() {
	if msgs := sub.replay.msgs; len(msgs) > 0 {
		sub.replay.msgs = nil
		if !sub.sendAll(msgs) {
			sub.close()
			return
		}
	}
	for {
		evs, ok := sub.next()
		if !ok {
			return
		}
		if len(evs) == 0 {
			continue
		}
		if !sub.sendOne(evs) {
			sub.close()
			return
		}
	}
}

// next takes the queued events of the next message: the oldest one, or,
// with f.every, all of those queued once every has passed since the last
// message. ok is false when there is nothing left to send; the goroutine
// then exits (running is cleared under the same lock).
func (sub *subscriber[T]) next() (evs []mkg.Event, ok bool) {
	sub.mu.Lock()
	if sub.done || len(sub.queue) == 0 || sub.ctx.Err() != nil {
		sub.running = false
		sub.queue = nil
		sub.mu.Unlock()
		return nil, false
	}
	if sub.f.every <= 0 {
		ev := sub.queue[0]
		sub.queue[0] = mkg.Event{}
		sub.queue = sub.queue[1:]
		sub.mu.Unlock()
		return []mkg.Event{ev}, true
	}
	wait := time.Until(sub.last.Add(sub.f.every))
	sub.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-sub.ctx.Done():
			return nil, true // the next call sees ctx ended
		case <-t.C:
		}
	}
	sub.mu.Lock()
	evs, sub.queue = sub.queue, nil
	sub.mu.Unlock()
	return evs, true
}

// sendOne builds and sends the message of evs under the rights of now;
// false when the subscription ends.
func (sub *subscriber[T]) sendOne(evs []mkg.Event) bool {
	if !refresh(sub.ctx, sub.s) {
		return false
	}
	msg := sub.f.build(evs)
	if msg == nil || sub.replay.sent != nil && sub.replay.sent(msg) {
		return true
	}
	if !sub.live.charge(sub.ctx, sub.s) {
		select { // as in refresh: the session closes the connection
		case <-sub.ctx.Done():
		case <-time.After(endGrace):
		}
		return false
	}
	if !sub.put(msg) {
		return false
	}
	sub.mu.Lock()
	sub.last = time.Now()
	sub.mu.Unlock()
	return true
}

// sendAll sends a catch-up's messages, under the rights of now.
func (sub *subscriber[T]) sendAll(msgs []*T) bool {
	if !refresh(sub.ctx, sub.s) {
		return false
	}
	for _, msg := range msgs {
		if !sub.put(msg) {
			return false
		}
	}
	return true
}

// put hands msg to the transport, waiting for it to take it.
func (sub *subscriber[T]) put(msg *T) bool {
	select {
	case sub.out <- msg:
		if sub.live.Sent != nil {
			sub.live.Sent()
		}
		return true
	case <-sub.ctx.Done():
		return false
	}
}

// close ends the subscription on its own: the transport sees out closed
// and completes it. Only the sending goroutine calls it, once: done is
// set, so no other starts.
func (sub *subscriber[T]) close() {
	sub.unwatch()
	sub.finish()
	close(sub.out)
}
