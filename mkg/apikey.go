package mkg

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// API keys look like mkg_1a2b3c4d_<43 characters>: a fixed marker, a public
// prefix that identifies the key (shown in lists, safe to log), and 256
// random bits. Only a SHA-256 of the whole key is stored: the secret is
// random, so a slow password hash would add nothing but latency.
const (
	keyMarker    = "mkg_"
	prefixHexLen = 8
	secretBytes  = 32
	keyLen       = len(keyMarker) + prefixHexLen + 1 + 43
)

// ErrTooManyFailures is what authentication answers for a bad key while
// its client address, or its key prefix, is throttled after repeated bad
// keys (HTTP 429).
var ErrTooManyFailures = errors.New("too many requests with invalid API keys; try again later")

// NewAPIKey returns a fresh key, its public prefix and its hash. The key is
// shown once to whoever issued it and never stored.
func NewAPIKey() (key, prefix, hash string) {
	key, prefix = newSecret(keyMarker)
	return key, prefix, HashAPIKey(key)
}

// newSecret returns marker + a random public prefix + "_" + 256 random bits,
// and its prefix.
func newSecret(marker string) (secret, prefix string) {
	p := make([]byte, prefixHexLen/2)
	s := make([]byte, secretBytes)
	rand.Read(p)
	rand.Read(s)
	prefix = marker + hex.EncodeToString(p)
	return prefix + "_" + base64.RawURLEncoding.EncodeToString(s), prefix
}

// HashAPIKey returns the stored form of a key.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// KeyPrefix returns the public prefix of a well-formed key, or ok=false for
// anything that cannot be a key (checked without touching storage, so a
// flood of garbage costs nothing).
func KeyPrefix(key string) (prefix string, ok bool) {
	if len(key) != keyLen || !strings.HasPrefix(key, keyMarker) || key[len(keyMarker)+prefixHexLen] != '_' {
		return "", false
	}
	prefix = key[:len(keyMarker)+prefixHexLen]
	if _, err := hex.DecodeString(prefix[len(keyMarker):]); err != nil {
		return "", false
	}
	if _, err := base64.RawURLEncoding.DecodeString(key[len(prefix)+1:]); err != nil {
		return "", false
	}
	return prefix, true
}

// KeyMatches compares a presented key with a stored hash in constant time.
func KeyMatches(key, storedHash string) bool {
	h := HashAPIKey(key)
	return subtle.ConstantTimeCompare([]byte(h), []byte(storedHash)) == 1
}
