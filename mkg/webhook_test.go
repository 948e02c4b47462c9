package mkg

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCheckCallbackURL(t *testing.T) {
	for raw, allowHTTP := range map[string]bool{"https://hooks.example.org/mkg?x=1": false, "http://127.0.0.1:8080/hook": true} {
		if _, err := CheckCallbackURL("callbackUrl", raw, allowHTTP); err != nil {
			t.Errorf("%s: %v", raw, err)
		}
	}
	for _, raw := range []string{"http://hooks.example.org/", "ftp://hooks.example.org/", "hooks.example.org/x", "/x", "https://",
		"https://u:p@hooks.example.org/", "https://hooks.example.org/#f", "https://hooks.example.org/" + strings.Repeat("a", MaxCallbackURL)} {
		if e, ok := checkErr(CheckCallbackURL("callbackUrl", raw, false)); !ok || e.Code != EINVALID || e.Field != "callbackUrl" {
			t.Errorf("%s: %v", raw, e)
		}
	}
}

func checkErr(_ any, err error) (*Error, bool) {
	e, ok := err.(*Error)
	return e, ok
}

// TestWebhookSignature: the signature is HMAC-SHA256 of timestamp "."
// body, in hex (a value computed with openssl, as the README's recipe
// does); verification refuses another body, another secret, and
// timestamps outside the replay window either way.
func TestWebhookSignature(t *testing.T) {
	// printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
	const want = "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
	body := []byte(`{"a":1}`)
	got := WebhookSignature("whsec_test", 1700000000, body)
	if got != want {
		t.Fatalf("signature %q; want %q", got, want)
	}
	now := time.Unix(1700000000, 0)
	ts := strconv.FormatInt(now.Unix(), 10)
	if !VerifyWebhook("whsec_test", ts, got, body, now.Add(4*time.Minute)) {
		t.Error("a fresh signature does not verify")
	}
	for name, ok := range map[string]bool{
		"another body":    VerifyWebhook("whsec_test", ts, got, []byte(`{"a":2}`), now),
		"another secret":  VerifyWebhook("whsec_other", ts, got, body, now),
		"too old":         VerifyWebhook("whsec_test", ts, got, body, now.Add(6*time.Minute)),
		"from the future": VerifyWebhook("whsec_test", ts, got, body, now.Add(-6*time.Minute)),
		"bad timestamp":   VerifyWebhook("whsec_test", "x", got, body, now),
	} {
		if ok {
			t.Errorf("%s verifies", name)
		}
	}
	if a, b := NewWebhookSecret(), NewWebhookSecret(); a == b || !strings.HasPrefix(a, "whsec_") || len(a) != 49 {
		t.Errorf("secrets %q %q", a, b)
	}
}

// TestEventKey: an event's key survives the trip through Redis (JSON,
// another time zone) and tells events apart.
func TestEventKey(t *testing.T) {
	m := 5.1
	ev := Event{Kind: EventEarthquake, At: time.Date(2026, 1, 1, 7, 0, 0, 123456789, time.FixedZone("WIB", 7*3600)),
		Earthquake: &EarthquakeChange{ID: 4, Magnitude: &m, Latitude: -8, Longitude: 118}}
	b, _ := json.Marshal(ev)
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	back.At = back.At.UTC()
	if ev.Key() != back.Key() {
		t.Errorf("key changed through JSON: %s %s", ev.Key(), back.Key())
	}
	other := ev
	other.Earthquake = &EarthquakeChange{ID: 5, Magnitude: &m, Latitude: -8, Longitude: 118}
	if ev.Key() == other.Key() {
		t.Error("two events share a key")
	}
}
