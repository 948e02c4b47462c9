package mkg

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A tracking token is the applicant's handle on a ticket, made like an API
// key (see NewAPIKey) with its own marker: trk_1a2b3c4d_<43 characters>.
// It is shown once, at submission; only its hash is stored, looked up by its
// public prefix.
const tokenMarker = "trk_"

// NewTrackingToken returns a fresh tracking token, its public prefix and its
// hash.
func NewTrackingToken() (token, prefix, hash string) {
	token, prefix = newSecret(tokenMarker)
	return token, prefix, HashToken(token)
}

// TrackingTokenPrefix returns the public prefix of a well-formed tracking
// token, or ok=false for anything that cannot be one (checked without
// touching storage).
func TrackingTokenPrefix(token string) (prefix string, ok bool) {
	return secretPrefix(tokenMarker, token)
}

// Form session tokens are made like tracking tokens with their own marker,
// frm_1a2b3c4d_<43 characters>, so neither is taken for the other.
const formMarker = "frm_"

// NewFormToken returns a fresh form session token, its public prefix and
// its hash.
func NewFormToken() (token, prefix, hash string) {
	token, prefix = newSecret(formMarker)
	return token, prefix, HashToken(token)
}

// FormTokenPrefix returns the public prefix of a well-formed form session
// token, or ok=false.
func FormTokenPrefix(token string) (prefix string, ok bool) { return secretPrefix(formMarker, token) }

// secretPrefix returns the public prefix of a secret made by newSecret with
// marker, or ok=false for anything that cannot be one.
func secretPrefix(marker, token string) (prefix string, ok bool) {
	n := len(marker) + prefixHexLen
	if len(token) != keyLen || !strings.HasPrefix(token, marker) || token[n] != '_' {
		return "", false
	}
	for _, c := range token[len(marker):n] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	// Strict: one spelling per secret. The length check catches the line
	// breaks a decoder skips.
	if s, err := base64.RawURLEncoding.Strict().DecodeString(token[n+1:]); err != nil || len(s) != secretBytes {
		return "", false
	}
	return token[:n], true
}

// HashToken returns the stored form of a tracking token (as HashAPIKey: the
// token is random, so a plain SHA-256 is enough).
func HashToken(token string) string { return HashAPIKey(token) }

// TokenMatches compares a presented token with a stored hash in constant
// time.
func TokenMatches(token, storedHash string) bool { return KeyMatches(token, storedHash) }

// sealInfo binds keys derived from tracking tokens to this one use.
const sealInfo = "mkggraph ticket api-key seal v1"

// SealKey encrypts secret so that only the holder of the tracking token
// can read it: AES-256-GCM under a key derived from the token by
// HKDF-SHA256, a random nonce before the ciphertext. A token that is not a
// well-formed tracking token is BAD_USER_INPUT. The ticket store seals each
// ticket's private key with it at submission (NewTicketKeyPair), keeping
// the sealed key and the token's hash, never the token; the API key issued
// on fulfilment is encrypted to the ticket's public key (SealToTicket), so
// it waits unreadable until the applicant collects it with the token.
func SealKey(secret, token string) ([]byte, error) {
	aead, err := tokenAEAD(token)
	if err != nil {
		return nil, err
	}
	return aead.Seal(nil, nil, []byte(secret), nil), nil
}

// OpenKey decrypts a key sealed by SealKey. A wrong or malformed token, or a
// damaged sealed key, is NOT_FOUND, the same as a ticket that does not
// exist: the answer tells nothing about which it was.
func OpenKey(sealed []byte, token string) (string, error) {
	aead, err := tokenAEAD(token)
	if err != nil {
		return "", NotFound("key")
	}
	key, err := aead.Open(nil, nil, sealed, nil)
	if err != nil {
		return "", NotFound("key")
	}
	return string(key), nil
}

// tokenAEAD is the cipher keyed by a tracking token. The token carries 256
// random bits, so HKDF needs no salt.
func tokenAEAD(token string) (cipher.AEAD, error) {
	if _, ok := TrackingTokenPrefix(token); !ok {
		return nil, Invalid("token", "not a tracking token")
	}
	key, err := hkdf.Key(sha256.New, []byte(token), nil, sealInfo, 32)
	if err != nil {
		return nil, err
	}
	return gcm(key)
}

// wib is the agency's head-office time (Jakarta).
var wib = time.FixedZone("WIB", 7*60*60)

// TicketYear is the year a ticket submitted at submitted is numbered in:
// the year in Jakarta at that moment.
func TicketYear(submitted time.Time) int { return submitted.In(wib).Year() }

// TicketNumber is the number a ticket is known by, API-<year>-<sequence>,
// the sequence counting from 1 within the year and written with at least 6
// digits: API-2026-000123.
func TicketNumber(year int, seq int64) string {
	return fmt.Sprintf("API-%04d-%06d", year, seq)
}

// ParseTicketNumber reads a number written by TicketNumber; ok=false for
// anything else (a sequence of more than 6 digits has no leading zero, so
// every ticket has exactly one number).
func ParseTicketNumber(s string) (year int, seq int64, ok bool) {
	rest, found := strings.CutPrefix(s, "API-")
	y, digits, found2 := strings.Cut(rest, "-")
	if !found || !found2 || len(y) != 4 || !allDigits(y) || len(digits) < 6 || !allDigits(digits) ||
		(len(digits) > 6 && digits[0] == '0') {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(y)
	seq, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || seq < 1 {
		return 0, 0, false
	}
	return year, seq, true
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
