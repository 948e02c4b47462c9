package download

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func TestSignVerify(t *testing.T) {
	s, err := NewSigner([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c := Claims{Kind: mkg.DownloadRadarScan, ID: 42, Key: "mkg_1a2b3c4d", Expires: now.Add(15 * time.Minute).Unix()}
	tok := s.Sign(c)
	got, err := s.Verify(tok, now)
	if err != nil || got.ID != 42 || got.Key != "mkg_1a2b3c4d" || got.Kind != mkg.DownloadRadarScan {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	if _, err := s.Verify(tok, now.Add(15*time.Minute)); !errors.Is(err, ErrExpired) {
		t.Fatalf("at expiry: %v, want ErrExpired", err)
	}
	other, _ := NewSigner([]byte(strings.Repeat("x", 32)))
	if _, err := other.Verify(tok, now); !errors.Is(err, ErrBadLink) {
		t.Fatalf("another key: %v, want ErrBadLink", err)
	}
	// Changing any character of the payload or the signature breaks it;
	// so does swapping in another link's payload.
	parts := strings.Split(tok, ".")
	for i := range len(parts[1]) {
		b := []byte(parts[1])
		b[i] ^= 1
		if _, err := s.Verify(parts[0]+"."+string(b)+"."+parts[2], now); err == nil {
			t.Fatalf("payload byte %d flipped: accepted", i)
		}
	}
	c2 := c
	c2.ID = 43
	p2 := strings.Split(s.Sign(c2), ".")
	if _, err := s.Verify(parts[0]+"."+p2[1]+"."+parts[2], now); !errors.Is(err, ErrBadLink) {
		t.Fatalf("payload of another link with this signature: %v", err)
	}
	for _, bad := range []string{"", "d1", "d1.", "d2." + parts[1] + "." + parts[2], strings.Repeat("a", 9000), tok + "x"} {
		if _, err := s.Verify(bad, now); !errors.Is(err, ErrBadLink) {
			t.Errorf("Verify(%.20q) = %v, want ErrBadLink", bad, err)
		}
	}
}

func TestShortKeyRefused(t *testing.T) {
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
}
