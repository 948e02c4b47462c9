package graphiqltest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Page is one browser tab. It records every request the page makes and
// every problem it reports (uncaught exceptions, console errors, blocked
// loads and Content-Security-Policy violations) from the moment it opens.
type Page struct {
	b       *Browser
	target  string
	session string

	opened   time.Time
	mu       sync.Mutex
	requests []string
	console  []string
	problems []string
	timeline []string // see Describe
}

// NewPage opens a blank tab.
func (b *Browser) NewPage(ctx context.Context) (*Page, error) {
	var t struct {
		TargetID string `json:"targetId"`
	}
	if err := b.conn.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &t); err != nil {
		return nil, err
	}
	var s struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.conn.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": t.TargetID, "flatten": true}, &s); err != nil {
		return nil, err
	}
	p := &Page{b: b, target: t.TargetID, session: s.SessionID, opened: time.Now()}
	b.conn.handle(p.session, p.onEvent)
	for _, domain := range []string{"Page", "Runtime", "Network", "Log"} {
		if err := p.call(ctx, domain+".enable", nil, nil); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

func (p *Page) call(ctx context.Context, method string, params, out any) error {
	return p.b.conn.call(ctx, p.session, method, params, out)
}

// Close closes the tab.
func (p *Page) Close() error {
	p.b.conn.handle(p.session, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return p.b.conn.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": p.target}, nil)
}

func (p *Page) onEvent(e event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.onNetwork(e)
	switch e.Method {
	case "Network.requestWillBeSent":
		var v struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		if json.Unmarshal(e.Params, &v) == nil {
			p.requests = append(p.requests, clip(v.Request.URL))
		}
	case "Network.loadingFailed":
		var v struct {
			ErrorText     string `json:"errorText"`
			BlockedReason string `json:"blockedReason"`
			Canceled      bool   `json:"canceled"`
		}
		if json.Unmarshal(e.Params, &v) == nil && !v.Canceled {
			p.problems = append(p.problems, strings.TrimSpace("load failed: "+v.ErrorText+" "+v.BlockedReason))
		}
	case "Runtime.exceptionThrown":
		var v struct {
			Details struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		if json.Unmarshal(e.Params, &v) == nil {
			line := "exception: " + v.Details.Text + " " + v.Details.Exception.Description
			p.problems = append(p.problems, line)
			p.note(line)
		}
	case "Runtime.consoleAPICalled":
		p.onConsole(e.Params)
	case "Log.entryAdded":
		var v struct {
			Entry struct {
				Source string `json:"source"`
				Level  string `json:"level"`
				Text   string `json:"text"`
			} `json:"entry"`
		}
		if json.Unmarshal(e.Params, &v) == nil {
			line := v.Entry.Level + " (" + v.Entry.Source + "): " + v.Entry.Text
			p.console = append(p.console, line)
			p.note(line)
			if v.Entry.Level == "error" {
				p.problems = append(p.problems, line)
			}
		}
	}
}

// onConsole records console.* calls; console.error counts as a problem.
func (p *Page) onConsole(params json.RawMessage) {
	var v struct {
		Type string `json:"type"`
		Args []struct {
			Value       any    `json:"value"`
			Description string `json:"description"`
		} `json:"args"`
	}
	if json.Unmarshal(params, &v) != nil {
		return
	}
	var parts []string
	for _, a := range v.Args {
		if a.Value != nil {
			parts = append(parts, fmt.Sprint(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	line := "console." + v.Type + ": " + strings.Join(parts, " ")
	p.console = append(p.console, line)
	p.note(line)
	if v.Type == "error" || v.Type == "assert" {
		p.problems = append(p.problems, line)
	}
}

// Requests returns the URLs the page has requested so far, in order.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Console returns the console messages and browser log entries so far.
func (p *Page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// Problems returns the exceptions, console errors, failed loads and CSP
// violations so far.
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// Navigate loads url in the tab. It returns once the navigation is
// committed; use WaitFor for what the test needs to see.
func (p *Page) Navigate(ctx context.Context, url string) error {
	var r struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.call(ctx, "Page.navigate", map[string]any{"url": url}, &r); err != nil {
		return err
	}
	if r.ErrorText != "" {
		return fmt.Errorf("navigate %s: %s", url, r.ErrorText)
	}
	return nil
}

// Eval evaluates a JavaScript expression in the page, awaiting it if it is
// a promise, and decodes its (JSON-serialisable) value into out.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	params := map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}
	if err := p.call(ctx, "Runtime.evaluate", params, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return fmt.Errorf("javascript: %s %s", r.Exception.Text, r.Exception.Exception.Description)
	}
	if out == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// WaitFor polls a JavaScript expression until it is truthy or ctx ends.
func (p *Page) WaitFor(ctx context.Context, expr string) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var ok bool
		err := p.Eval(ctx, "!!("+expr+")", &ok)
		if ok {
			return nil
		}
		if err != nil && strings.Contains(err.Error(), "SyntaxError") {
			return fmt.Errorf("waiting for %s: %w", expr, err) // polling will not fix that
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = ctx.Err()
			}
			return fmt.Errorf("waiting for %s: %w", expr, err)
		case <-tick.C:
		}
	}
}

// Click clicks the centre of the first element matching a CSS selector
// with real (trusted) mouse events, as a user would.
func (p *Page) Click(ctx context.Context, selector string) error {
	sel, _ := json.Marshal(selector)
	var pt *struct{ X, Y float64 }
	expr := `(() => {
		const el = document.querySelector(` + string(sel) + `);
		if (!el) return null;
		el.scrollIntoView({block: "center", inline: "center"});
		const r = el.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`
	if err := p.Eval(ctx, expr, &pt); err != nil {
		return err
	}
	if pt == nil {
		return errors.New("click: nothing matches " + selector)
	}
	p.record("click " + selector)
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		ev := map[string]any{"type": typ, "x": pt.X, "y": pt.Y, "button": "left", "clickCount": 1}
		if typ == "mouseMoved" {
			ev["button"], ev["clickCount"] = "none", 0
		}
		if err := p.call(ctx, "Input.dispatchMouseEvent", ev, nil); err != nil {
			return err
		}
	}
	return nil
}

// clip shortens long URLs (data: URIs of whole fonts) for the record.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// InsertText types text into the focused element, as an input method
// would: one input event, no key events.
func (p *Page) InsertText(ctx context.Context, text string) error {
	return p.call(ctx, "Input.insertText", map[string]any{"text": text}, nil)
}
