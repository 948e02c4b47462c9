package metrics

import (
	"strings"
	"sync"
)

// boundedSet keeps the first max distinct values it is shown; any later
// one is "other". A label fed through it has at most max+1 values, whatever
// clients send.
type boundedSet struct {
	max  int
	mu   sync.RWMutex
	seen map[string]string
}

func newBoundedSet(max int) *boundedSet { return &boundedSet{max: max, seen: map[string]string{}} }

// label returns v as a label value: v itself (the copy kept, so the
// caller's string, which may be part of a request body, is not retained)
// while the set has room or already holds it, else "other".
func (b *boundedSet) label(v string) string {
	b.mu.RLock()
	s, ok := b.seen[v]
	full := len(b.seen) >= b.max
	b.mu.RUnlock()
	if ok {
		return s
	}
	if full {
		return "other"
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if s, ok := b.seen[v]; ok {
		return s
	}
	if len(b.seen) >= b.max {
		return "other"
	}
	s = strings.Clone(v)
	b.seen[s] = s
	return s
}

// maxNameLength bounds an operation name used as a label.
const maxNameLength = 64

// operationLabel returns a validated operation's name as a label value:
// "anonymous" for an operation without a name; "other" for a name that
// looks like a credential (an API key or a tracking token starts with its
// public prefix, mkg_ or trk_), a long one, or one past the first
// maxOperations names.
func (m *Metrics) operationLabel(name string) string {
	switch {
	case name == "":
		return "anonymous"
	case len(name) > maxNameLength || credentialLike(name) || !graphQLName(name):
		return "other"
	}
	return m.operations.label(name)
}

func credentialLike(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "mkg_") || strings.Contains(l, "trk_")
}

// graphQLName reports whether s is a GraphQL name ([_A-Za-z][_0-9A-Za-z]*):
// validated documents give nothing else, so anything else is not one.
// (No '@', so no e-mail address.)
func graphQLName(s string) bool {
	for i, c := range []byte(s) {
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// codeLabel returns an error's extensions.code as a label value: the
// server's codes are upper-case words (BAD_USER_INPUT …); anything else is
// "OTHER".
func (m *Metrics) codeLabel(code any) string {
	s, _ := code.(string)
	if s == "" {
		return "OTHER"
	}
	if len(s) > 40 {
		return "OTHER"
	}
	for _, c := range []byte(s) {
		if !(c == '_' || c >= 'A' && c <= 'Z') {
			return "OTHER"
		}
	}
	if l := m.codes.label(s); l != "other" {
		return l
	}
	return "OTHER"
}
