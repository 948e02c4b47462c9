package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/bmkg/mkggraph/internal/netguard"
	"github.com/bmkg/mkggraph/mkg"
)

// fetched is what one conditional GET brought.
type fetched struct {
	notModified  bool // 304: the validators still hold
	body         []byte
	etag         string
	lastModified string
}

// newClient returns the client feeds are fetched with: no proxy from the
// environment (a proxy would dial on our behalf, past the address check),
// the address check at every dial, a time limit on the whole request, and
// redirects only to http(s), at most 5.
func newClient(timeout time.Duration, allowPrivate bool) *http.Client {
	tr := &http.Transport{
		DialContext:           netguard.Dialer(min(timeout, 10*time.Second), allowPrivate).DialContext,
		TLSHandshakeTimeout:   min(timeout, 10*time.Second),
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("more than 5 redirects")
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to a %s: URL refused", req.URL.Scheme)
		}
		return nil
	}}
}

const userAgent = "mkggraph-feeds/1 (BMKG MKG Graph feed poller)"

// fetch makes one conditional GET of the feed's URL with its validators,
// reading at most maxBytes of the body: a body that declares more, or
// keeps coming past it, is refused without reading the rest.
func (p *Poller) fetch(ctx context.Context, f *mkg.Feed) (*fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	if f.State.ETag != "" {
		req.Header.Set("If-None-Match", f.State.ETag)
	}
	if f.State.LastModified != "" {
		req.Header.Set("If-Modified-Since", f.State.LastModified)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fetchError(err, p.opt.Timeout)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified, resp.StatusCode == http.StatusNoContent:
		// 204 is how FDSN event services say nothing matches the query:
		// nothing new, not a failure.
		return &fetched{notModified: true, etag: f.State.ETag, lastModified: f.State.LastModified}, nil
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	case resp.ContentLength > p.opt.MaxBytes:
		return nil, fmt.Errorf("the body is %d bytes, over the limit of %d: refused unread", resp.ContentLength, p.opt.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, p.opt.MaxBytes+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("the body ended before its declared length (truncated)")
		}
		return nil, fetchError(err, p.opt.Timeout)
	}
	if int64(len(body)) > p.opt.MaxBytes {
		return nil, fmt.Errorf("the body goes on past the limit of %d bytes: refused, reading stopped", p.opt.MaxBytes)
	}
	return &fetched{body: body, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}, nil
}

// fetchError says why a request failed in an admin's terms.
func fetchError(err error, timeout time.Duration) error {
	switch {
	case errors.Is(err, netguard.ErrRefused):
		return fmt.Errorf("refused: the URL's host is not a public address (set -feeds-allow-private to allow): %w", err)
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return fmt.Errorf("no complete answer within %s (timeout)", timeout)
	}
	return err
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
