package mkg

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Page sizes for every connection in the API. The maximum keeps one request's
// cost bounded; the query cost limit multiplies by it.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// PageArgs are the Relay forward-pagination arguments as the client sent them.
type PageArgs struct {
	First *int
	After *string
}

// Cursor marks a position in an ordered list: the sort key of a row and its
// id, which breaks ties. Order names the ordering the cursor belongs to, so a
// cursor taken from one ordering cannot be replayed against another.
type Cursor struct {
	Order string
	Value string
	ID    int64
}

const cursorVersion = "c1"

// Encode returns the opaque form given to clients.
func (c Cursor) Encode() string {
	raw := strings.Join([]string{cursorVersion, c.Order, strconv.FormatInt(c.ID, 10), c.Value}, "\x1f")
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor parses an opaque cursor for the given ordering.
func DecodeCursor(s, order string) (Cursor, error) {
	bad := Invalid("after", "cursor is not valid for this list; use a cursor returned by the same query")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, bad
	}
	parts := strings.SplitN(string(raw), "\x1f", 4)
	if len(parts) != 4 || parts[0] != cursorVersion || parts[1] != order {
		return Cursor{}, bad
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || id <= 0 {
		return Cursor{}, bad
	}
	return Cursor{Order: order, Value: parts[3], ID: id}, nil
}

// Page is validated pagination: how many rows and where to start.
type Page struct {
	Limit int
	After *Cursor
}

// Resolve validates the arguments for the given ordering.
func (a PageArgs) Resolve(order string) (Page, error) {
	p := Page{Limit: DefaultPageSize}
	if a.First != nil {
		switch {
		case *a.First < 0:
			return Page{}, Invalid("first", "first must not be negative (got %d)", *a.First)
		case *a.First > MaxPageSize:
			return Page{}, Invalid("first", "first must be at most %d (got %d)", MaxPageSize, *a.First)
		}
		p.Limit = *a.First
	}
	if a.After != nil && *a.After != "" {
		c, err := DecodeCursor(*a.After, order)
		if err != nil {
			return Page{}, err
		}
		p.After = &c
	}
	return p, nil
}

// Float parses the cursor's value as a number.
func (c Cursor) Float() (float64, error) {
	v, err := strconv.ParseFloat(c.Value, 64)
	if err != nil {
		return 0, Invalid("after", "cursor is not valid for this list")
	}
	return v, nil
}
