// Package download issues and serves signed download links for file-backed
// data (radar scans, their pictures, satellite products) and for exports of
// list queries.
//
// A link names what it serves, who it was issued to (the API key's public
// prefix, or nobody for an anonymous caller) and when it expires, signed
// with HMAC-SHA256 under the server's download key. Serving it checks the
// signature and the expiry, and then the caller's rights again as they are
// now: a key revoked or a grant removed after the link was issued stops the
// link too. Every refusal after the signature check answers alike, so a
// link never tells whether the file exists to someone who may not have it.
package download

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Claims are what a link states.
type Claims struct {
	Kind    mkg.DownloadKind `json:"t"`
	ID      int64            `json:"i,omitempty"`
	Export  *mkg.ExportSpec  `json:"x,omitempty"`
	Key     string           `json:"k,omitempty"` // API key prefix; "" = anonymous
	Expires int64            `json:"e"`           // Unix seconds
}

// Errors of Verify.
var (
	ErrBadLink = errors.New("the download link is not valid")
	ErrExpired = errors.New("the download link has expired; ask the API for a new one")
)

// Signer signs and verifies links.
type Signer struct {
	key []byte
}

// MinKeyBytes is the shortest download key accepted: an HMAC-SHA256 key
// shorter than the hash gives less than its strength.
const MinKeyBytes = 32

// NewSigner returns a signer with key.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < MinKeyBytes {
		return nil, errors.New("the download key must be at least 32 bytes")
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

const tokenVersion = "d1"

// Sign returns the token for c: version, payload and signature, dot
// separated, URL safe.
func (s *Signer) Sign(c Claims) string {
	payload, _ := json.Marshal(c) // Claims always marshal
	body := tokenVersion + "." + base64.RawURLEncoding.EncodeToString(payload)
	return body + "." + base64.RawURLEncoding.EncodeToString(s.mac(body))
}

func (s *Signer) mac(body string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(body))
	return m.Sum(nil)
}

// maxTokenBytes bounds what Verify reads: exports carry their filter.
const maxTokenBytes = 8 << 10

// Verify checks token's signature, then its expiry at now.
func (s *Signer) Verify(token string, now time.Time) (Claims, error) {
	if len(token) > maxTokenBytes {
		return Claims{}, ErrBadLink
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 || !strings.HasPrefix(token, tokenVersion+".") {
		return Claims{}, ErrBadLink
	}
	body, sig := token[:i], token[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(body)) {
		return Claims{}, ErrBadLink
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(body, tokenVersion+"."))
	if err != nil {
		return Claims{}, ErrBadLink
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return Claims{}, ErrBadLink
	}
	if now.Unix() >= c.Expires {
		return Claims{}, ErrExpired
	}
	return c, nil
}
