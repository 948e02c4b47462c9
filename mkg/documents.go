package mkg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A trusted document is a GraphQL document an administrator registered for
// the first-party apps, which send it by its id instead of its text. With
// the server in trusted-documents mode, callers without the right to send
// their own documents (MaySendOwnDocuments) may send only these.
type TrustedDocument struct {
	ID           string // DocumentID of Query
	Name         string // what it is for, e.g. "mobile: latest earthquake"
	Query        string
	RegisteredAt time.Time
	RegisteredBy string
}

// TrustedDocumentInput is a document to register.
type TrustedDocumentInput struct {
	Name  string
	Query string
}

// Bounds of the registry: every instance keeps all of it in memory.
const (
	MaxTrustedDocuments     = 1000
	MaxTrustedDocumentBytes = 32 << 10
	maxDocumentNameLen      = 100
)

// DocumentID is the id of a document: "sha256:" and the hex SHA-256 of its
// text, as the GraphQL-over-HTTP persisted documents proposal writes it.
// The hash alone (what automatic persisted queries send) names it too
// (ParseDocumentID).
func DocumentID(query string) string {
	sum := sha256.Sum256([]byte(query))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ParseDocumentID reads an id given by a client, "sha256:<hex>" or the bare
// hex, into its canonical form; field names the argument for the error.
func ParseDocumentID(id, field string) (string, error) {
	h := strings.ToLower(strings.TrimPrefix(id, "sha256:"))
	if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		return "", Invalid(field, "a document id is \"sha256:\" followed by 64 hexadecimal digits")
	}
	return "sha256:" + h, nil
}

// CheckTrustedDocuments checks documents to register: each with a name of
// at most 100 characters and a document of at most 32 KiB, at most
// MaxTrustedDocuments in all (already registered counts them in the
// registry). Errors name the input at fault ("documents[2].query").
// Whether a document parses and validates is the caller's to check, with
// the schema.
func CheckTrustedDocuments(in []TrustedDocumentInput, registered int) error {
	if len(in) == 0 {
		return Invalid("documents", "give at least one document")
	}
	if registered+len(in) > MaxTrustedDocuments {
		return Invalid("documents", "at most %d documents may be registered (%d are)", MaxTrustedDocuments, registered)
	}
	for i, d := range in {
		at := "documents[" + strconv.Itoa(i) + "]"
		name := strings.TrimSpace(d.Name)
		switch {
		case name == "" || utf8.RuneCountInString(name) > maxDocumentNameLen:
			return Invalid(at+".name", "a document's name is 1 to %d characters", maxDocumentNameLen)
		case strings.TrimSpace(d.Query) == "":
			return Invalid(at+".query", "the document is empty")
		case len(d.Query) > MaxTrustedDocumentBytes:
			return Invalid(at+".query", "a registered document is at most %d KiB", MaxTrustedDocumentBytes>>10)
		}
	}
	return nil
}

// MaySendOwnDocuments reports whether p may send a document of its own in
// trusted-documents mode: a signed-in account may (partners exploring in
// GraphiQL keep that), an anonymous caller sends registered documents only.
func (p *Principal) MaySendOwnDocuments() bool { return !p.Anonymous() }

// TrustedDocumentStore keeps the registry.
type TrustedDocumentStore interface {
	// TrustedDocuments lists the registry, oldest first.
	TrustedDocuments(ctx context.Context) ([]*TrustedDocument, error)
	// TrustedDocumentSet returns the registry's documents by id, for the
	// executor: kept in memory, current on every instance within about a
	// second of a change.
	TrustedDocumentSet(ctx context.Context) (map[string]string, error)
	// RegisterTrustedDocuments adds documents (one already registered is
	// left as it is) and returns them as registered.
	RegisterTrustedDocuments(ctx context.Context, by Actor, in []TrustedDocumentInput) ([]*TrustedDocument, error)
	// RemoveTrustedDocument removes a document; NOT_FOUND when it is not
	// registered.
	RemoveTrustedDocument(ctx context.Context, by Actor, id string) error
}
