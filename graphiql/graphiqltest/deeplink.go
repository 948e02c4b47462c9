package graphiqltest

import (
	"context"
	"fmt"
	"net/url"
)

// Editors GraphiQL 4 shows: the query, and the tools under it.
const (
	QueryEditor  = queryEditor
	ResultEditor = resultEditor
)

// Open opens pageURL in a new tab and waits until GraphiQL has started.
// Close the page when done.
func Open(ctx context.Context, b *Browser, pageURL string) (*Page, error) {
	p, err := b.NewPage(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.Navigate(ctx, pageURL); err != nil {
		p.Close()
		return nil, err
	}
	if err := p.WaitFor(ctx, "window.GraphiQL && document.querySelector("+jsString(queryEditor)+")"); err != nil {
		p.Close()
		return nil, fmt.Errorf("GraphiQL did not start: %w (problems: %v)", err, p.Problems())
	}
	return p, nil
}

// EditorText returns the text of the CodeMirror editor at selector.
func (p *Page) EditorText(ctx context.Context, selector string) (string, error) {
	var s string
	err := p.Eval(ctx, editorValue(selector), &s)
	return s, err
}

// SetEditorText replaces the text of the CodeMirror editor at selector.
func (p *Page) SetEditorText(ctx context.Context, selector, text string) error {
	return setEditor(ctx, p, selector, text)
}

// ToolText opens the Variables or Headers tab and returns its editor's text.
func (p *Page) ToolText(ctx context.Context, tab string) (string, error) {
	if err := openTool(ctx, p, tab); err != nil {
		return "", err
	}
	return p.EditorText(ctx, toolsEditor)
}

// SetToolText opens the Variables or Headers tab and replaces its text.
func (p *Page) SetToolText(ctx context.Context, tab, text string) error {
	return setTool(ctx, p, tab, text)
}

// Run clicks the run button and waits until the result pane changes; it
// returns the pane's text.
func (p *Page) Run(ctx context.Context) (string, error) {
	before, err := p.EditorText(ctx, resultEditor)
	if err != nil {
		return "", err
	}
	if err := p.Click(ctx, executeButton); err != nil {
		return "", err
	}
	cond := "(v => v !== '' && v !== " + jsString(before) + ")(" + editorValue(resultEditor) + ")"
	if err := p.WaitFor(ctx, cond); err != nil {
		return "", fmt.Errorf("no response in the result pane: %w", err)
	}
	return p.EditorText(ctx, resultEditor)
}

// AllowClipboard lets the page at origin read and write the clipboard, as
// a user who accepted the prompt would.
func (b *Browser) AllowClipboard(ctx context.Context, origin string) error {
	u, err := url.Parse(origin)
	if err != nil {
		return err
	}
	return b.conn.call(ctx, "", "Browser.grantPermissions", map[string]any{
		"origin": u.Scheme + "://" + u.Host, "permissions": []string{"clipboardReadWrite", "clipboardSanitizedWrite"}}, nil)
}
