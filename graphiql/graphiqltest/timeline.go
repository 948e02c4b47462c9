package graphiqltest

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Describe says what the page shows and what happened in it, for a test's
// failure message: the query editor's text and the operation GraphiQL
// would run with it, the run button, the result pane, then a timeline of
// the test's clicks and edits, the page's requests (with what a POST sent),
// WebSocket handshakes, frames and closings, console messages and
// exceptions, each with the time since the tab opened. It waits for the page a few seconds at most,
// so it can be called after the test's own deadline has passed.
func (p *Page) Describe() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var b strings.Builder
	var state struct {
		URL           string  `json:"url"`
		Query         *string `json:"query"`
		OperationName *string `json:"operationName"`
		Button        *string `json:"button"`
		Result        *string `json:"result"`
	}
	// GraphiQL keeps the operation it will run on the query editor's
	// CodeMirror (operationName), updated 100 ms after an edit.
	expr := `(() => {
		const cm = s => { const el = document.querySelector(s); return el && el.CodeMirror; };
		const q = cm(` + jsString(queryEditor) + `), r = cm(` + jsString(resultEditor) + `);
		const run = document.querySelector(` + jsString(executeButton) + `);
		return {url: location.href, query: q ? q.getValue() : null, operationName: q ? q.operationName : null,
			button: run ? run.getAttribute("aria-label") : null, result: r ? r.getValue() : null};
	})()`
	if err := p.Eval(ctx, expr, &state); err != nil {
		fmt.Fprintf(&b, "the page could not be read: %v\n", err)
	} else {
		fmt.Fprintf(&b, "page %s\nquery editor: %s\noperation GraphiQL runs: %s\nrun button: %s\nresult pane: %s\n",
			state.URL, orNone(state.Query), orNone(state.OperationName), orNone(state.Button), orNone(state.Result))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b.WriteString("timeline (since the tab opened):\n")
	for _, line := range p.timeline {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

func orNone(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}

// record adds a line to the timeline.
func (p *Page) record(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.note(line)
}

// note adds a line to the timeline; p.mu is held.
func (p *Page) note(line string) {
	const max = 400 // lines: a page that loops must not fill the memory
	if len(p.timeline) == max {
		p.timeline = append(p.timeline[:max-1], "…")
		return
	}
	line = bearer.ReplaceAllString(line, "$1…")
	p.timeline = append(p.timeline, fmt.Sprintf("%6d ms %s", time.Since(p.opened).Milliseconds(), line))
}

// bearer matches a key (in the headers editor, a connection_init) but its
// first characters, which are enough to tell keys apart: the timeline goes
// into test logs.
var bearer = regexp.MustCompile(`(Bearer [^"\\]{0,8})[^"\\]*`)

// onNetwork notes the page's requests and WebSocket traffic; p.mu is held.
func (p *Page) onNetwork(e event) {
	var v struct {
		Request struct {
			Method   string `json:"method"`
			URL      string `json:"url"`
			PostData string `json:"postData"`
		} `json:"request"`
		Response struct {
			Status      int    `json:"status"`
			URL         string `json:"url"`
			PayloadData string `json:"payloadData"`
		} `json:"response"`
		URL          string `json:"url"`
		ErrorText    string `json:"errorText"`
		ErrorMessage string `json:"errorMessage"`
	}
	if !strings.HasPrefix(e.Method, "Network.") || json.Unmarshal(e.Params, &v) != nil {
		return
	}
	switch e.Method {
	case "Network.requestWillBeSent":
		if !strings.HasPrefix(v.Request.URL, "data:") {
			p.note(strings.TrimSpace(v.Request.Method + " " + clip(v.Request.URL) + " " + clip(v.Request.PostData)))
		}
	case "Network.responseReceived":
		if !strings.HasPrefix(v.Response.URL, "data:") {
			p.note(fmt.Sprintf("%d %s", v.Response.Status, clip(v.Response.URL)))
		}
	case "Network.loadingFailed":
		p.note("load failed: " + v.ErrorText)
	case "Network.webSocketCreated":
		p.note("WebSocket " + clip(v.URL))
	case "Network.webSocketHandshakeResponseReceived":
		p.note(fmt.Sprintf("WebSocket handshake: %d", v.Response.Status))
	case "Network.webSocketFrameSent":
		p.note("WebSocket sent " + clip(v.Response.PayloadData))
	case "Network.webSocketFrameReceived":
		p.note("WebSocket received " + clip(v.Response.PayloadData))
	case "Network.webSocketFrameError":
		p.note("WebSocket error: " + v.ErrorMessage)
	case "Network.webSocketClosed":
		p.note("WebSocket closed")
	}
}
