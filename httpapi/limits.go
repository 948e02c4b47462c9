package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/mkg"
)

// limitRunning executes at most n requests at once; the others wait for a
// turn, in arrival order as far as the runtime's channel queue goes, for
// as long as their deadline allows, and are then answered 503 with
// Retry-After. A burst of clients thus costs a queue of parsed-nothing
// requests, not n × (goroutines, decoded rows, database connections).
//
// Why the default is a few per CPU (RunningPerCPU): a running request is
// many goroutines (one per list element, see graph/elements.go), and a
// batch of its loads runs only when all of them have reached it. With 32
// dashboard requests at once on two cores, 3,200 goroutines shared the
// two; each request waited for the slowest of its hundred, p99 was six
// times p50, and goroutines that read the generations or a key took over
// 500 ms to be scheduled again and answered 503 (bench/: 248 of 2,440
// requests in one 10 s run on a loaded machine). With 8 at once the others
// wait their turn in order, holding one parked goroutine each: p99 fell
// from 5–6 to under 2 times p50 at the same throughput, and no request
// failed (BENCHMARKS.md).
func limitRunning(n int, next http.Handler) http.Handler {
	if n <= 0 {
		return next
	}
	turns := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case turns <- struct{}{}:
		case <-r.Context().Done():
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
			writeError(w, r, http.StatusServiceUnavailable, mkg.EUNAVAILABLE, "the server is busy: the request waited its whole time limit for its turn; try again shortly")
			return
		}
		defer func() { <-turns }()
		next.ServeHTTP(w, r)
	})
}

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
			writeError(w, r, http.StatusBadRequest, codeBadRequest, "could not read the request body")
			return
		}
		if n := jsonValues(body); n > max {
			writeRequestError(w, r, graph.CodeWorkLimit, fmt.Sprintf("the request holds %d or more JSON values; the limit is %d", n, max))
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
