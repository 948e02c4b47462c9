package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"time"
)

// The benchmark's callers: a partner key (authentication is part of the
// cost of a request) and anonymous callers, for whom SYNOP_L2 is opened
// while the benchmark runs and set back afterwards.
type callers struct {
	admin, partner        string // API keys
	adminID, partnerID    string // account global IDs
	synopL2Classification string // SYNOP_L2's classification before the run
}

var (
	keyPattern     = regexp.MustCompile(`mkg_[0-9a-f]{8}_[A-Za-z0-9_-]+`)
	accountPattern = regexp.MustCompile(`Administrator account (\d+) created`)
)

// createAdmin makes an administrator with `mkggraph create-admin`, the
// only way there is to make the first one.
func createAdmin(ctx context.Context, bin, dbURL string) (key, accountID string, err error) {
	email := fmt.Sprintf("load-benchmark-%d@example.org", time.Now().UnixNano())
	cmd := exec.CommandContext(ctx, bin, "create-admin", "-database-url", dbURL, "-log-level", "warn",
		"-organisation", "MKG Graph load benchmark", "-name", "Load benchmark runner", "-email", email)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", "", fmt.Errorf("mkggraph create-admin: %v\n%s", err, out)
	}
	key = keyPattern.FindString(string(out))
	m := accountPattern.FindSubmatch(out)
	if key == "" || m == nil {
		return "", "", fmt.Errorf("mkggraph create-admin printed no key or account:\n%s", out)
	}
	return key, base64.RawURLEncoding.EncodeToString([]byte("Account:" + string(m[1]))), nil
}

// setUp makes the partner account with its key and opens SYNOP_L2 to
// anonymous callers, through the admin API of a running server.
func setUp(ctx context.Context, base string, c *callers) error {
	data, err := graphql(ctx, base, c.admin, `mutation($in: AccountInput!) { createAccount(input: $in) { id } }`, map[string]any{
		"in": map[string]any{"organisation": "MKG Graph load benchmark", "contactName": "Load benchmark partner",
			"contactEmail": fmt.Sprintf("load-benchmark-partner-%d@example.org", time.Now().UnixNano()),
			"application":  map[string]any{"name": "bench/load"}},
	})
	if err != nil {
		return fmt.Errorf("createAccount: %w", err)
	}
	c.partnerID = str(dig(data, "createAccount", "id"))
	vars := map[string]any{"id": c.partnerID}
	if _, err := graphql(ctx, base, c.admin, `mutation($id: ID!) { grantDataset(accountId: $id, dataset: "SYNOP_L2") { id } }`, vars); err != nil {
		return fmt.Errorf("grantDataset: %w", err)
	}
	if data, err = graphql(ctx, base, c.admin, `mutation($id: ID!) { issueApiKey(accountId: $id, label: "load benchmark") { key } }`, vars); err != nil {
		return fmt.Errorf("issueApiKey: %w", err)
	}
	c.partner = str(dig(data, "issueApiKey", "key"))
	if data, err = graphql(ctx, base, c.admin, `{ datasets { dataset classification } }`, nil); err != nil {
		return fmt.Errorf("datasets: %w", err)
	}
	for _, d := range list(dig(data, "datasets")) {
		if str(dig(d, "dataset")) == "SYNOP_L2" {
			c.synopL2Classification = str(dig(d, "classification"))
		}
	}
	if c.synopL2Classification == "" {
		return fmt.Errorf("the server lists no SYNOP_L2 dataset")
	}
	return classify(ctx, base, c.admin, "OPEN")
}

func classify(ctx context.Context, base, admin, classification string) error {
	_, err := graphql(ctx, base, admin, `mutation($c: String!) { setDatasetClassification(dataset: "SYNOP_L2", classification: $c) { classification } }`,
		map[string]any{"c": classification})
	if err != nil {
		return fmt.Errorf("setDatasetClassification SYNOP_L2 %s: %w", classification, err)
	}
	return nil
}

// tearDown sets SYNOP_L2 back and revokes the benchmark's accounts (their
// keys are then refused), the administrator's last.
func tearDown(ctx context.Context, base string, c *callers) []error {
	var errs []error
	if c.synopL2Classification != "" {
		if err := classify(ctx, base, c.admin, c.synopL2Classification); err != nil {
			errs = append(errs, err)
		}
	}
	for _, id := range []string{c.partnerID, c.adminID} {
		if id == "" {
			continue
		}
		_, err := graphql(ctx, base, c.admin, `mutation($id: ID!) { setAccountStatus(id: $id, status: REVOKED, reason: "load benchmark finished") { id } }`,
			map[string]any{"id": id})
		if err != nil {
			errs = append(errs, fmt.Errorf("revoke account %s: %w", id, err))
		}
	}
	return errs
}

// graphql posts one operation and returns its data; GraphQL errors are
// errors here.
func graphql(ctx context.Context, base, key, query string, vars map[string]any) (any, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	status, b, err := post(ctx, base+"/graphql", key, body)
	if err != nil {
		return nil, err
	}
	var resp struct {
		Data   any               `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(b, &resp); err != nil {
		return nil, fmt.Errorf("HTTP %d, not JSON: %.200s", status, b)
	}
	if status != http.StatusOK || len(resp.Errors) > 0 {
		return nil, fmt.Errorf("HTTP %d: %.300s", status, b)
	}
	return resp.Data, nil
}

// post sends a request body as the benchmark does (POST, JSON, the key as
// a bearer token when there is one) and returns the status and answer.
func post(ctx context.Context, url, key string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}
