package mkg

import (
	"strings"
	"testing"
)

func TestTrackingTokens(t *testing.T) {
	token, prefix, hash := NewTrackingToken()
	if p, ok := TrackingTokenPrefix(token); !ok || p != prefix || !strings.HasPrefix(token, "trk_") ||
		!strings.HasPrefix(token, prefix+"_") {
		t.Fatalf("TrackingTokenPrefix(%q) = %q, %v; prefix %q", token, p, ok, prefix)
	}
	if !TokenMatches(token, hash) || TokenMatches(token+"x", hash) || TokenMatches(strings.ToUpper(token), hash) ||
		HashToken(token) != hash || strings.Contains(hash, token[len(prefix)+1:]) {
		t.Error("hash comparison")
	}
	if other, _, _ := NewTrackingToken(); other == token {
		t.Error("two tokens alike")
	}
	if _, ok := KeyPrefix(token); ok {
		t.Error("a tracking token passes for an API key")
	}
	key, _, _ := NewAPIKey()
	secret := token[len(prefix)+1:]
	for _, bad := range []string{
		"", "trk_", prefix, prefix + "_", token + "A", token[:len(token)-1],
		key,                                    // an API key is not a tracking token
		"mkg_" + token[4:],                     // wrong marker
		"TRK_" + token[4:],                     // markers are lower case
		strings.ToUpper(prefix) + "_" + secret, // so is the prefix
		"trk_1a2b3c4g_" + secret,               // not hex
		prefix + "-" + secret,                  // wrong separator
		prefix + "_" + secret[:42] + "+",       // not URL-safe base64
		prefix + "_" + secret[:20] + "\n" + secret[21:], // a line break a decoder would skip
		prefix + "_" + secret[:42] + "B",                // non-canonical last character (B has low bits set)
	} {
		if p, ok := TrackingTokenPrefix(bad); ok {
			t.Errorf("TrackingTokenPrefix(%q) = %q, true", bad, p)
		}
	}
}

func TestSealKey(t *testing.T) {
	token, _, _ := NewTrackingToken()
	other, _, _ := NewTrackingToken()
	apiKey, _, _ := NewAPIKey()
	sealed, err := SealKey(apiKey, token)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), apiKey[len(apiKey)-43:]) {
		t.Error("the key's secret shows in the sealed form")
	}
	again, _ := SealKey(apiKey, token)
	if string(again) == string(sealed) {
		t.Error("sealing twice gives the same bytes: the nonce is not random")
	}
	if got, err := OpenKey(sealed, token); err != nil || got != apiKey {
		t.Errorf("OpenKey = %q, %v; want the key", got, err)
	}
	damaged := []byte(string(sealed))
	damaged[len(damaged)-1] ^= 1
	for name, c := range map[string]struct {
		sealed []byte
		token  string
	}{
		"wrong token":     {sealed, other},
		"malformed token": {sealed, "trk_nothing"},
		"damaged":         {damaged, token},
		"too short":       {sealed[:10], token},
		"empty":           {nil, token},
	} {
		if got, err := OpenKey(c.sealed, c.token); err == nil || got != "" || ErrorCode(err) != ENOTFOUND {
			t.Errorf("%s: %q, %v; want NOT_FOUND", name, got, err)
		}
	}
	if _, err := SealKey(apiKey, "not a token"); err == nil {
		t.Error("sealed with a malformed token")
	}
}

func TestTicketNumbers(t *testing.T) {
	for _, c := range []struct {
		year int
		seq  int64
		want string
	}{
		{2026, 123, "API-2026-000123"},
		{2026, 1, "API-2026-000001"},
		{2027, 999999, "API-2027-999999"},
		{2027, 1234567, "API-2027-1234567"},
	} {
		got := TicketNumber(c.year, c.seq)
		if got != c.want {
			t.Errorf("TicketNumber(%d, %d) = %q, want %q", c.year, c.seq, got, c.want)
		}
		if y, s, ok := ParseTicketNumber(got); !ok || y != c.year || s != c.seq {
			t.Errorf("ParseTicketNumber(%q) = %d, %d, %v", got, y, s, ok)
		}
	}
	for _, bad := range []string{"", "API-", "API-2026", "API-2026-", "API-2026-12345", "API-2026-0001234",
		"API-26-000123", "api-2026-000123", "TKT-2026-000123", "API-2026-000000", "API-2026-00012a",
		"API-2026-+00123", "API-2026-000123 ", "API-2026-99999999999999999999", "API-2026-000123-1"} {
		if y, s, ok := ParseTicketNumber(bad); ok {
			t.Errorf("ParseTicketNumber(%q) = %d, %d, true", bad, y, s)
		}
	}
}
