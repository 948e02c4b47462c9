package rainbow

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// maxDepth bounds element nesting; a Rainbow header is about five deep.
const maxDepth = 32

// node is an element of the header. The header's layout varies between
// Rainbow versions (the same value is a child element in one and an
// attribute in another), so it is read into a tree and then looked up
// leniently rather than unmarshalled into fixed structs.
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	text     string
}

// parseTree reads the XML header into a tree rooted at its first element.
func parseTree(header []byte) (*node, error) {
	if !utf8.Valid(header) {
		// Older headers carry Latin-1 comments ("für").
		header = xmlread.FromLatin1(header)
	}
	d := xml.NewDecoder(bytes.NewReader(header))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var root *node
	var stack []*node
	var text [][]byte // character data of each open element
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: XML header: %v", ErrCorrupt, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == maxDepth {
				return nil, fmt.Errorf("%w: XML header nested deeper than %d", ErrCorrupt, maxDepth)
			}
			n := &node{name: t.Name.Local, attrs: t.Attr}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root == nil {
				root = n
			} else {
				return nil, fmt.Errorf("%w: XML header has a second root <%s>", ErrCorrupt, n.name)
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] = append(text[len(text)-1], t...)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fmt.Errorf("%w: XML header closes </%s> that was not open", ErrCorrupt, t.Name.Local)
			}
			stack[len(stack)-1].text = strings.TrimSpace(string(text[len(text)-1]))
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: XML header has no element", ErrNotRainbow)
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("%w: XML header ends inside <%s>", ErrTruncated, stack[len(stack)-1].name)
	}
	return root, nil
}

func (n *node) attr(key string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == key {
			return strings.TrimSpace(a.Value), true
		}
	}
	return "", false
}

func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (n *node) all(name string) []*node {
	var list []*node
	for _, c := range n.children {
		if c.name == name {
			list = append(list, c)
		}
	}
	return list
}

// value is the text of child element name, else attribute name: versions
// differ in which they use (<lat>50.8</lat> or lat="50.8").
func (n *node) value(name string) (string, bool) {
	if c := n.child(name); c != nil {
		return c.text, true
	}
	return n.attr(name)
}

// walk calls f on n and every element below it.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// params looks a parameter up in a slice, then the first slice, then the
// pargroup: later slices state only what differs.
type params []*node

func (p params) get(name string) (string, bool) {
	for _, n := range p {
		if n == nil {
			continue
		}
		if c := n.child(name); c != nil {
			return c.text, true
		}
	}
	return "", false
}

// float returns parameter name, ok false when absent, an error when present
// but not a finite number.
func (p params) float(name string) (v float64, ok bool, err error) {
	s, ok := p.get(name)
	if !ok {
		return 0, false, nil
	}
	v, err = parseFloat(name, s)
	return v, err == nil, err
}

func parseFloat(what, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w: %s %q is not a number", ErrCorrupt, what, s)
	}
	return v, nil
}

// intAttr reads a non-negative integer attribute no larger than limit.
func intAttr(n *node, key string, limit int) (int, error) {
	s, ok := n.attr(key)
	if !ok {
		return 0, fmt.Errorf("%w: <%s> has no %s", ErrCorrupt, n.name, key)
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > limit {
		return 0, fmt.Errorf("%w: <%s %s=%q> is not an integer in [0, %d]", ErrCorrupt, n.name, key, s, limit)
	}
	return v, nil
}
