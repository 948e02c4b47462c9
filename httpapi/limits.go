package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/bmkg/mkggraph/graph"
)

// limitValues refuses a JSON request body holding more than max values
// (variables, mostly) before it is decoded: decoding and checking each
// costs about graph.ValueWork units of work, and a body at the size
// limit can hold half a million of them. It runs after limitBody, which has
// read the body into memory.
func limitValues(max int, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, gqlErrorBody("could not read the request body", "BAD_REQUEST", ""))
			return
		}
		if n := jsonValues(body); n > max {
			writeJSON(w, http.StatusOK, gqlErrorBody(fmt.Sprintf("the request holds %d or more JSON values; the limit is %d", n, max), graph.CodeWorkLimit, ""))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// jsonValues counts the values in a JSON text, without decoding it: one
// for the first, one more after each comma, and one for each array or
// object opened (an empty one counts once more than it holds). Object keys
// are not counted; nothing inside strings is.
func jsonValues(b []byte) int {
	n, inString := 1, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == ',' || c == '[' || c == '{':
			n++
		}
	}
	return n
}
