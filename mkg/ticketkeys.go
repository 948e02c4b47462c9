package mkg

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
)

// Key delivery. The API key issued on fulfilment must wait for the
// applicant readable only with the tracking token, which the server never
// keeps (only its hash). So each ticket gets an X25519 key pair at
// submission: the public key is stored as is, the private key sealed with
// the token (SealKey). On fulfilment the API key is encrypted to the public
// key (an ephemeral X25519 key, HKDF-SHA256 over the shared secret,
// AES-256-GCM), which needs no token; only the token's holder can unseal
// the private key and so decrypt it. Standard library only.

// deliveryInfo binds the derived keys to this use and, with the ticket
// number appended, to one ticket.
const deliveryInfo = "mkggraph ticket key delivery v1 "

// NewTicketKeyPair returns a ticket's public key and its private key sealed
// with the tracking token.
func NewTicketKeyPair(token string) (public, sealedPrivate []byte, err error) {
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	sealedPrivate, err = SealKey(base64.RawURLEncoding.EncodeToString(priv.Bytes()), token)
	if err != nil {
		return nil, nil, err
	}
	return priv.PublicKey().Bytes(), sealedPrivate, nil
}

// SealToTicket encrypts apiKey to the public key of ticket number: the
// ephemeral public key (32 bytes), then the nonce and ciphertext.
func SealToTicket(public []byte, apiKey, number string) ([]byte, error) {
	pub, err := ecdh.X25519().NewPublicKey(public)
	if err != nil {
		return nil, err
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return nil, err
	}
	ephPub := eph.PublicKey().Bytes()
	aead, err := deliveryAEAD(shared, ephPub, public, number)
	if err != nil {
		return nil, err
	}
	return aead.Seal(ephPub, nil, []byte(apiKey), nil), nil
}

// OpenTicketKey decrypts what SealToTicket sealed, with the private key
// unsealed by the token. Any failure is NOT_FOUND: a wrong token and a
// damaged record look the same to the caller.
func OpenTicketKey(sealedPrivate []byte, token string, public, sealed []byte, number string) (string, error) {
	notFound := NotFound("key")
	encoded, err := OpenKey(sealedPrivate, token)
	if err != nil {
		return "", notFound
	}
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		return "", notFound
	}
	priv, err := ecdh.X25519().NewPrivateKey(raw)
	if err != nil || len(sealed) < 32 {
		return "", notFound
	}
	ephPub, err := ecdh.X25519().NewPublicKey(sealed[:32])
	if err != nil {
		return "", notFound
	}
	shared, err := priv.ECDH(ephPub)
	if err != nil {
		return "", notFound
	}
	aead, err := deliveryAEAD(shared, sealed[:32], public, number)
	if err != nil {
		return "", notFound
	}
	key, err := aead.Open(nil, nil, sealed[32:], nil)
	if err != nil {
		return "", notFound
	}
	return string(key), nil
}

func deliveryAEAD(shared, ephPub, public []byte, number string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, shared, slices.Concat(ephPub, public), deliveryInfo+number, 32)
	if err != nil {
		return nil, err
	}
	return gcm(key)
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// replayInfo binds keys derived from idempotency keys to sealing the
// tracking token for a retried submission.
const replayInfo = "mkggraph submission replay v1"

// SealForReplay seals a submission's tracking token with its idempotency
// key (SealKey takes tracking tokens only), so that a retry, which carries
// the key again, can be answered with the same token while the database
// alone cannot produce it.
func SealForReplay(token, idempotencyKey string) ([]byte, error) {
	aead, err := replayAEAD(idempotencyKey)
	if err != nil {
		return nil, err
	}
	return aead.Seal(nil, nil, []byte(token), nil), nil
}

// OpenForReplay opens what SealForReplay sealed with the same key.
func OpenForReplay(sealed []byte, idempotencyKey string) (string, error) {
	aead, err := replayAEAD(idempotencyKey)
	if err != nil {
		return "", err
	}
	token, err := aead.Open(nil, nil, sealed, nil)
	if err != nil {
		return "", errors.New("the sealed tracking token does not open with its idempotency key")
	}
	return string(token), nil
}

func replayAEAD(idempotencyKey string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(idempotencyKey), nil, replayInfo, 32)
	if err != nil {
		return nil, err
	}
	return gcm(key)
}
