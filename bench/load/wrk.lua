-- wrk script of the load benchmark (bench/load runs it; by hand:
--   BODY=bench/bodies/w1-mkggraph.json AUTH="Bearer mkg_…" \
--   wrk -t2 -c32 -d10s -s bench/load/wrk.lua http://127.0.0.1:8080/graphql)
-- Every request POSTs the JSON body in the file $BODY, with the
-- Authorization header $AUTH when set. At the end it prints one line,
--   RESULT requests=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=… non2xx=… errors=… timeouts=…
-- which the runner parses. Responses are not read here (that would cost
-- wrk CPU in proportion to each server's answer size on the same two
-- cores); the runner checks the answers before and after the runs.
local f = assert(io.open(assert(os.getenv("BODY"), "BODY is not set"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

-- done runs once with the totals of every thread (a counter kept in
-- response() would live in one thread's Lua state only).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write, e.timeout))
end
