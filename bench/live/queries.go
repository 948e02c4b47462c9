package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// queryLatency posts query to base's /graphql one request after the other
// for d, and describes the latencies: count, p50, p99, max. Any answer
// that is not a 200 without errors stops the program: a failed query is
// not a latency.
func queryLatency(base, query string, d time.Duration) (string, error) {
	body, _ := json.Marshal(map[string]string{"query": query})
	client := &http.Client{Timeout: 10 * time.Second}
	var took []time.Duration
	for end := time.Now().Add(d); time.Now().Before(end); {
		start := time.Now()
		resp, err := client.Post(base+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			return "", err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return "", err
		}
		took = append(took, time.Since(start))
		var r struct{ Errors []any }
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &r) != nil || len(r.Errors) > 0 {
			return "", fmt.Errorf("query answered %s: %.300s", resp.Status, b)
		}
	}
	if len(took) == 0 {
		return "", fmt.Errorf("no query within %v", d)
	}
	slices.Sort(took)
	pct := func(p float64) time.Duration { return took[min(len(took)-1, int(p*float64(len(took))))] }
	return fmt.Sprintf("%d queries in %v: p50 %v, p99 %v, max %v", len(took), d, pct(0.5), pct(0.99), took[len(took)-1]), nil
}
