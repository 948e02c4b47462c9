// Package graphiqltest drives a headless Chromium through a GraphiQL page,
// for end-to-end tests: open the page, type a query (and headers such as
// Authorization), click run, read the result pane, and check that the page
// made no request it should not have and reported no error or
// Content-Security-Policy violation.
//
// It speaks the Chrome DevTools Protocol over the browser's
// --remote-debugging-port WebSocket with a minimal client built on the
// standard library alone, so it adds no dependency to the module. It needs a
// Chromium binary (Debian: apt-get install chromium); tests that use it
// should skip when FindChromium fails (and fail instead when
// MKG_REQUIRE_SERVICES=1), as graphiql/browser_test.go does.
//
// Typical use against a running server:
//
//	b, err := graphiqltest.Launch(ctx, graphiqltest.Options{})
//	if err != nil { t.Fatal(err) }
//	defer b.Close()
//	res, err := graphiqltest.RunQuery(ctx, b, srv.URL+"/graphiql/", graphiqltest.Query{
//		Query:   `{ stations(first: 5) { totalCount } }`,
//		Headers: map[string]string{"Authorization": "Bearer " + key},
//	})
//	// res.Response is the JSON text of the result pane;
//	// graphiqltest.OutsideHost(res.Requests, "127.0.0.1") should be empty;
//	// res.Problems should be empty.
//
// Lower-level Page methods (Navigate, WaitFor, Eval, Click) are there for
// checks RunQuery does not cover.
package graphiqltest
