package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/mkg"
)

// The codes of trusted documents' request errors.
const (
	codeDocumentNotFound   = "PERSISTED_QUERY_NOT_FOUND"
	codeDocumentNotTrusted = "DOCUMENT_NOT_TRUSTED"
	// DocumentIDParam is where the transport puts a request's documentId
	// (GraphQL-over-HTTP persisted documents) among its extensions.
	DocumentIDParam = "documentId"
)

// TrustedDocuments resolves the documents admins registered: a request
// that names one by id (documentId, or an automatic persisted query's
// hash) runs its text. When Enforce is set (trusted-documents mode), a
// caller without the right to send documents of its own
// (mkg.Principal.MaySendOwnDocuments) may run registered documents only.
// It runs before the persisted-query extension, so that a document it
// refuses is never stored there either.
type TrustedDocuments struct {
	Set interface {
		TrustedDocumentSet(context.Context) (map[string]string, error)
	}
	Enforce bool
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = TrustedDocuments{}

// ExtensionName implements graphql.HandlerExtension.
func (TrustedDocuments) ExtensionName() string { return "TrustedDocuments" }

// Validate implements graphql.HandlerExtension.
func (TrustedDocuments) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters implements graphql.OperationParameterMutator.
func (t TrustedDocuments) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	id, named := p.Extensions[DocumentIDParam].(string)
	hash := apqHash(p.Extensions)
	own := !t.Enforce || mkg.PrincipalFrom(ctx).MaySendOwnDocuments()
	if p.Query != "" && named {
		return codedRequestError("BAD_REQUEST", "send either query or documentId, not both")
	}
	if own && !named && (p.Query != "" || hash == "") {
		return nil // nothing to look up, and nothing to enforce
	}
	set, err := t.Set.TrustedDocumentSet(ctx)
	if err != nil {
		return codedRequestError(mkg.ErrorCode(err), "the registered documents cannot be read now; try again shortly")
	}
	switch {
	case named:
		canonical, err := mkg.ParseDocumentID(id, DocumentIDParam)
		if err != nil {
			return codedRequestError("BAD_REQUEST", "documentId must be \"sha256:\" followed by 64 hexadecimal digits")
		}
		q, ok := set[canonical]
		if !ok {
			return codedRequestError(codeDocumentNotFound, "no registered document has this documentId")
		}
		p.Query = q
		return nil
	case p.Query == "":
		if q, ok := set["sha256:"+hash]; ok {
			p.Query = q // the persisted-query extension checks the hash
			return nil
		}
		if own {
			return nil // the persisted-query extension looks in its cache
		}
	default:
		if _, ok := set[mkg.DocumentID(p.Query)]; ok {
			return nil
		}
	}
	return codedRequestError(codeDocumentNotTrusted,
		"this server runs only registered documents for anonymous callers: send a registered documentId, or sign in with an API key")
}

// apqHash returns an automatic persisted query's hash ("" when none).
func apqHash(ext map[string]any) string {
	pq, _ := ext["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	if b, err := hex.DecodeString(h); err != nil || len(b) != sha256.Size {
		return ""
	}
	return strings.ToLower(h)
}

func codedRequestError(code, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
}

// CheckDocument reports whether query parses and validates against the
// schema; the error names field and says what is wrong.
func CheckDocument(query, field string) error {
	if _, errs := gqlparser.LoadQueryWithRules(parsedSchema, query, ValidationRules(1)()); len(errs) > 0 {
		return mkg.Invalid(field, "the document does not validate: %s", errs[0].Message)
	}
	return nil
}
