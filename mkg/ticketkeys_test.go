package mkg

import (
	"strings"
	"testing"
)

func TestKeyDelivery(t *testing.T) {
	token, _, _ := NewTrackingToken()
	public, sealedPrivate, err := NewTicketKeyPair(token)
	if err != nil {
		t.Fatal(err)
	}
	apiKey, _, _ := NewAPIKey()
	sealed, err := SealToTicket(public, apiKey, "API-2026-000001")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), apiKey) || strings.Contains(string(sealedPrivate), token) {
		t.Fatal("a secret is stored in the clear")
	}
	got, err := OpenTicketKey(sealedPrivate, token, public, sealed, "API-2026-000001")
	if err != nil || got != apiKey {
		t.Fatalf("OpenTicketKey = %q, %v", got, err)
	}
	other, _, _ := NewTrackingToken()
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for what, open := range map[string]func() (string, error){
		"another token":  func() (string, error) { return OpenTicketKey(sealedPrivate, other, public, sealed, "API-2026-000001") },
		"another ticket": func() (string, error) { return OpenTicketKey(sealedPrivate, token, public, sealed, "API-2026-000002") },
		"a damaged key": func() (string, error) {
			return OpenTicketKey(sealedPrivate, token, public, tampered, "API-2026-000001")
		},
		"a truncated key": func() (string, error) {
			return OpenTicketKey(sealedPrivate, token, public, sealed[:20], "API-2026-000001")
		},
		"a malformed token": func() (string, error) {
			return OpenTicketKey(sealedPrivate, "trk_x", public, sealed, "API-2026-000001")
		},
		"another private key": func() (string, error) {
			_, p, _ := NewTicketKeyPair(token)
			return OpenTicketKey(p, token, public, sealed, "API-2026-000001")
		},
	} {
		if key, err := open(); ErrorCode(err) != ENOTFOUND || key != "" {
			t.Errorf("opening with %s: %q, %v; want NOT_FOUND", what, key, err)
		}
	}
}

func TestReplaySealing(t *testing.T) {
	token, _, _ := NewTrackingToken()
	sealed, err := SealForReplay(token, "0b6f4a3e-7c1d-4f8e-9a2b-5d6c7e8f9a0b")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := OpenForReplay(sealed, "0b6f4a3e-7c1d-4f8e-9a2b-5d6c7e8f9a0b"); err != nil || got != token {
		t.Errorf("OpenForReplay = %q, %v", got, err)
	}
	if _, err := OpenForReplay(sealed, "0b6f4a3e-7c1d-4f8e-9a2b-5d6c7e8f9a0c"); err == nil {
		t.Error("another key opened the sealed token")
	}
}

func TestFormTokens(t *testing.T) {
	token, prefix, hash := NewFormToken()
	if p, ok := FormTokenPrefix(token); !ok || p != prefix || !TokenMatches(token, hash) {
		t.Fatalf("form token %q: prefix %q %v", token, p, ok)
	}
	tracking, _, _ := NewTrackingToken()
	for _, bad := range []string{"", "frm_", token[:len(token)-1], token + "A", "frm_zzzzzzzz" + token[12:], tracking} {
		if _, ok := FormTokenPrefix(bad); ok {
			t.Errorf("%q taken for a form token", bad)
		}
	}
	if _, ok := TrackingTokenPrefix(token); ok {
		t.Errorf("form token %q taken for a tracking token", token)
	}
}
