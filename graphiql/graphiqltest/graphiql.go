package graphiqltest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Query is what RunQuery types into GraphiQL before pressing run.
type Query struct {
	// Query replaces the text of the query editor; "" keeps the page's
	// default query.
	Query string
	// Variables, when not "", replaces the variables editor (JSON text).
	Variables string
	// Headers, when not empty, are written into the headers editor as a
	// JSON object, e.g. {"Authorization": "Bearer …"}.
	Headers map[string]string
}

// Result is what RunQuery saw.
type Result struct {
	// Response is the text of GraphiQL's result pane after the run: the
	// JSON response, pretty-printed by GraphiQL.
	Response string
	// Requests are the URLs the page requested, in order, from loading the
	// page to the response (data: URIs included, clipped).
	Requests []string
	// Problems are the exceptions, console errors, failed loads and CSP
	// violations the page reported.
	Problems []string
}

// Page elements RunQuery works with (GraphiQL 4 class names).
const (
	queryEditor   = ".graphiql-query-editor .CodeMirror"
	resultEditor  = ".graphiql-response .CodeMirror"
	executeButton = ".graphiql-execute-button"
	toolsEditor   = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
)

// RunQuery opens pageURL (a GraphiQL page) in a new tab, waits for the
// editor, fills in q, clicks the run button with a real mouse click and
// waits for the result pane to show the response. The tab is closed
// afterwards. An error means the page never got that far; a GraphQL error
// in the response is not an error here, it is in Result.Response.
func RunQuery(ctx context.Context, b *Browser, pageURL string, q Query) (Result, error) {
	p, err := b.NewPage(ctx)
	if err != nil {
		return Result{}, err
	}
	defer p.Close()
	res, err := runQuery(ctx, p, pageURL, q)
	res.Requests, res.Problems = p.Requests(), p.Problems()
	return res, err
}

func runQuery(ctx context.Context, p *Page, pageURL string, q Query) (Result, error) {
	if err := p.Navigate(ctx, pageURL); err != nil {
		return Result{}, err
	}
	if err := p.WaitFor(ctx, "window.GraphiQL && document.querySelector("+jsString(queryEditor)+")"); err != nil {
		return Result{}, fmt.Errorf("GraphiQL did not start: %w", err)
	}
	if q.Query != "" {
		if err := setEditor(ctx, p, queryEditor, q.Query); err != nil {
			return Result{}, err
		}
		// GraphiQL takes an edit in after a delay (the page's address bar
		// follows it then), and the operation's name after that: a run
		// before sends the text with the previous tab's operation name.
		link := `new URL(location.href).searchParams`
		if err := p.WaitFor(ctx, link+`.get("query") === `+jsString(q.Query)); err != nil {
			return Result{}, fmt.Errorf("GraphiQL did not take the query in: %w", err)
		}
		named, cancel := context.WithTimeout(ctx, 2*time.Second)
		// Best effort: GraphiQL may not report a name it cleared.
		_ = p.WaitFor(named, `(n => !n || `+jsString(q.Query)+`.includes(n))(`+link+`.get("operationName"))`)
		cancel()
	}
	if q.Variables != "" {
		if err := setTool(ctx, p, "Variables", q.Variables); err != nil {
			return Result{}, err
		}
	}
	if len(q.Headers) > 0 {
		h, _ := json.MarshalIndent(q.Headers, "", "  ")
		if err := setTool(ctx, p, "Headers", string(h)); err != nil {
			return Result{}, err
		}
	}
	var before string
	if err := p.Eval(ctx, editorValue(resultEditor), &before); err != nil {
		return Result{}, err
	}
	if err := p.Click(ctx, executeButton); err != nil {
		return Result{}, err
	}
	// The pane is replaced when the response arrives; a run that returns
	// exactly what was there before is caught by the ctx deadline.
	cond := "(v => v !== '' && v !== " + jsString(before) + ")(" + editorValue(resultEditor) + ")"
	if err := p.WaitFor(ctx, cond); err != nil {
		return Result{}, fmt.Errorf("no response in the result pane: %w", err)
	}
	var res Result
	err := p.Eval(ctx, editorValue(resultEditor), &res.Response)
	return res, err
}

// setTool opens the Variables or Headers tab under the query editor (with
// a click, as a user would) and replaces the text of its editor.
func setTool(ctx context.Context, p *Page, tab, text string) error {
	if err := openTool(ctx, p, tab); err != nil {
		return err
	}
	return setEditor(ctx, p, toolsEditor, text)
}

// openTool opens the Variables or Headers tab under the query editor.
func openTool(ctx context.Context, p *Page, tab string) error {
	mark := `(() => {
		const b = [...document.querySelectorAll(".graphiql-editor-tools button")]
			.find(b => b.textContent.trim() === ` + jsString(tab) + `);
		if (b) b.setAttribute("data-graphiqltest-tab", ` + jsString(tab) + `);
		return !!b;
	})()`
	var found bool
	if err := p.Eval(ctx, mark, &found); err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("GraphiQL has no %s tab (is the editor enabled?)", tab)
	}
	if err := p.Click(ctx, "[data-graphiqltest-tab="+jsString(tab)+"]"); err != nil {
		return err
	}
	shown := ".graphiql-editor-tool[aria-label=" + jsString(tab) + "] .graphiql-editor:not(.hidden) .CodeMirror"
	return p.WaitFor(ctx, "document.querySelector("+jsString(shown)+")")
}

// setEditor replaces the text of a CodeMirror 5 editor through its API,
// which fires the change events GraphiQL listens to.
func setEditor(ctx context.Context, p *Page, selector, text string) error {
	var ok bool
	expr := `(() => {
		const el = document.querySelector(` + jsString(selector) + `);
		if (!el || !el.CodeMirror) return false;
		el.CodeMirror.setValue(` + jsString(text) + `);
		return true;
	})()`
	if err := p.Eval(ctx, expr, &ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no editor at %s", selector)
	}
	p.record(fmt.Sprintf("set %s to %s", selector, clip(text)))
	return nil
}

// editorValue is a JavaScript expression for the text of a CodeMirror 5
// editor, "" when there is none.
func editorValue(selector string) string {
	return `((el) => el && el.CodeMirror ? el.CodeMirror.getValue() : "")(document.querySelector(` + jsString(selector) + `))`
}

func jsString(s string) string {
	b, _ := json.Marshal(s) // a JSON string is a JavaScript string literal
	return string(b)
}

// OutsideHost returns the requests that went anywhere but host (a
// "hostname" or "hostname:port"; with no port, any port matches). data:,
// blob: and about: URLs never leave the browser and are not reported.
func OutsideHost(requests []string, host string) []string {
	var out []string
	for _, r := range requests {
		u, err := url.Parse(strings.TrimSuffix(r, "…"))
		if err != nil {
			out = append(out, r)
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about":
			continue
		}
		if u.Host != host && u.Hostname() != host {
			out = append(out, r)
		}
	}
	return out
}
