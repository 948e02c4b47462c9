package webhooks

import (
	"strings"
	"testing"
)

// TestSealedSecrets: with a key, a secret is stored sealed (not readable
// in the database) and opens with the same key only; without one it is
// stored as is, and a sealed secret cannot be opened.
func TestSealedSecrets(t *testing.T) {
	s := New(nil, nil, nil, nil, Options{SecretKey: strings.Repeat("k", 32)})
	sealed, err := s.seal("whsec_abc")
	if err != nil || !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, "whsec_abc") {
		t.Fatalf("sealed %q, %v", sealed, err)
	}
	again, _ := s.seal("whsec_abc")
	if again == sealed {
		t.Error("two seals of a secret are the same (no nonce)")
	}
	if got, err := s.open(sealed); err != nil || got != "whsec_abc" {
		t.Errorf("open = %q, %v", got, err)
	}
	other := New(nil, nil, nil, nil, Options{SecretKey: strings.Repeat("x", 32)})
	if _, err := other.open(sealed); err == nil {
		t.Error("another key opens the secret")
	}
	plain := New(nil, nil, nil, nil, Options{})
	if v, _ := plain.seal("whsec_abc"); v != "plain:whsec_abc" {
		t.Errorf("unsealed: %q", v)
	}
	if _, err := plain.open(sealed); err == nil {
		t.Error("a sealed secret opens without a key")
	}
	if _, err := s.open("v1:" + sealed[3:10]); err == nil {
		t.Error("a damaged secret opens")
	}
}
