package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/mkg"
)

// MarshalDateTime writes a time as RFC 3339 in UTC, with fractional seconds
// only when it has them.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime reads an RFC 3339 time with any offset and returns it in UTC.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, mkg.Invalid("", "DateTime must be an RFC 3339 string such as 2022-03-21T12:00:00Z, not %s", jsonKind(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, mkg.Invalid("", "DateTime %q is not RFC 3339 (e.g. 2022-03-21T12:00:00Z)", s)
	}
	return t.UTC(), nil
}

// jsonKind names the kind of a value as a client wrote it (never a Go
// type).
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return "a number"
	}
}
