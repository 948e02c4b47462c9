package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/bmkg/mkggraph/internal/netguard"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/notify"
)

// The headers of a delivery (see the README, "Webhooks").
const (
	HeaderWebhook   = "X-MKG-Webhook-Id"
	HeaderDelivery  = "X-MKG-Delivery-Id" // the same in every retry: receivers deduplicate on it
	HeaderTimestamp = "X-MKG-Timestamp"   // Unix seconds, signed
	HeaderSignature = "X-MKG-Signature"   // sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))
)

// maxResponse is how much of a receiver's answer is read (and thrown
// away): enough to reuse the connection, never a flood.
const maxResponse = 64 << 10

// Worker returns the delivery worker: the outbox loop of notify over the
// webhook deliveries, sending with a client that refuses non-public
// addresses at each connection (unless AllowPrivate) and follows no
// redirects. Run it on every instance: each delivery is claimed by one.
func (s *Service) Worker() *notify.Worker[*mkg.WebhookJob] {
	client := &http.Client{
		Timeout: s.opts.Timeout,
		Transport: &http.Transport{
			DialContext:           netguard.Dialer(s.opts.Timeout, s.opts.AllowPrivate).DialContext,
			TLSHandshakeTimeout:   s.opts.Timeout,
			ResponseHeaderTimeout: s.opts.Timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       time.Minute,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	about := func(j *mkg.WebhookJob) notify.Job {
		return notify.Job{Attempts: j.Attempts, Log: []any{"delivery", j.ID, "webhook", j.WebhookID}}
	}
	send := func(ctx context.Context, j *mkg.WebhookJob) error { return s.send(ctx, client, j) }
	return notify.NewWorker(queue{s}, send, about, s.log.With(slog.String("outbox", "webhooks")), notify.WorkerOptions{
		Options:      notify.Options{Interval: s.opts.Interval, MaxBackoff: s.opts.MaxRetry, Now: s.opts.Now, GiveUpAfter: 1},
		Noun:         "webhook delivery",
		FirstBackoff: s.opts.FirstRetry,
		Jitter:       rand.Float64,
		SendTimeout:  s.opts.Timeout + time.Second,
		Wake:         s.queued,
	})
}

// send POSTs one delivery, signed now. A 2xx answer delivers it; 410 Gone
// is permanent (the webhook is paused at once); anything else is retried.
func (s *Service) send(ctx context.Context, client *http.Client, j *mkg.WebhookJob) error {
	secret, err := s.open(j.Secret)
	if err != nil {
		return err
	}
	body := []byte(j.Payload)
	ts := s.opts.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.CallbackURL, bytes.NewReader(body))
	if err != nil {
		return notify.Permanent(errors.New("the callback URL is not valid"))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "MKG-Graph-Webhooks/1")
	req.Header.Set(HeaderWebhook, strconv.FormatInt(j.WebhookID, 10))
	req.Header.Set(HeaderDelivery, strconv.FormatInt(j.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, mkg.WebhookSignature(secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		j.LastStatus = 0
		if errors.Is(err, netguard.ErrRefused) {
			return errors.New("the callback's address is not public (refused)")
		}
		return fmt.Errorf("no answer from the receiver: %s", conciseNetError(err))
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	j.LastStatus = resp.StatusCode
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusGone:
		return notify.Permanent(errors.New("the receiver answered 410 Gone"))
	}
	return fmt.Errorf("the receiver answered HTTP %d", resp.StatusCode)
}

// conciseNetError says what failed without the URL (the partner knows it)
// or Go's wrapping.
func conciseNetError(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "the server is stopping"
	}
	var u interface{ Unwrap() error }
	if errors.As(err, &u) && u.Unwrap() != nil {
		return u.Unwrap().Error()
	}
	return err.Error()
}

// queue is the deliveries as notify.Queue: a failed attempt counts against
// its webhook, which is paused after PauseAfter in a row; giving up (a
// permanent failure) pauses it at once.
type queue struct{ s *Service }

func (q queue) Claim(ctx context.Context, now, until time.Time, limit int) ([]*mkg.WebhookJob, error) {
	js, err := q.s.store.ClaimWebhookDeliveries(ctx, now, until, limit)
	out := make([]*mkg.WebhookJob, len(js))
	for i := range js {
		out[i] = &js[i]
	}
	return out, err
}

func (q queue) Delivered(ctx context.Context, j *mkg.WebhookJob, at time.Time) error {
	q.s.opts.Delivered("delivered")
	return q.s.store.WebhookDelivered(ctx, *j, at, j.LastStatus)
}

func (q queue) Failed(ctx context.Context, j *mkg.WebhookJob, at time.Time, errText string, next time.Time) error {
	return q.failed(ctx, j, at, errText, next, q.s.opts.PauseAfter)
}

func (q queue) GaveUp(ctx context.Context, j *mkg.WebhookJob, at time.Time, errText string) error {
	return q.failed(ctx, j, at, errText, at.Add(q.s.opts.FirstRetry), 1)
}

func (q queue) failed(ctx context.Context, j *mkg.WebhookJob, at time.Time, errText string, next time.Time, pauseAfter int) error {
	outcome := "failed"
	if j.Failures+1 >= pauseAfter {
		outcome = "paused"
	}
	q.s.opts.Delivered(outcome)
	return q.s.store.WebhookDeliveryFailed(ctx, *j, at, j.LastStatus, errText, next, pauseAfter)
}
