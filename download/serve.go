package download

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"github.com/bmkg/mkggraph/export"
	"github.com/bmkg/mkggraph/internal/httpcount"
	"github.com/bmkg/mkggraph/mkg"
)

// ServeHTTP serves GET and HEAD /downloads/{token}. A bad signature or a
// past expiry is 403 with the reason (neither says anything about the
// object); everything after that (the key no longer usable, the right
// lost, the object gone) is the same 404.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.opt.Signer.Verify(r.PathValue("token"), s.opt.Now())
	if err != nil {
		refuse(w, http.StatusForbidden, err.Error())
		return
	}
	p, err := s.principal(ctx, c.Key)
	if err != nil {
		s.notFound(ctx, w, err)
		return
	}
	ctx = mkg.WithPrincipal(ctx, p)
	if c.Kind == mkg.DownloadExport {
		var d mkg.Dataset
		if c.Export != nil {
			d = c.Export.Kind.Dataset()
		}
		s.counted(w, r, p, d, func(w http.ResponseWriter) { s.serveExport(ctx, w, r, c) })
		return
	}
	obj, err := s.find(ctx, c.Kind, c.ID)
	if err == nil {
		err = p.Access(obj.dataset)
	}
	if err != nil {
		s.notFound(ctx, w, err)
		return
	}
	s.counted(w, r, p, obj.dataset, func(w http.ResponseWriter) { s.serveFile(ctx, w, r, obj) })
}

// counted serves a download through serve and counts it in its account's
// usage (none for anonymous links, nor for the usage export, d ""): one
// download of dataset d with the bytes of its body, when it was served
// (2xx) to a GET.
func (s *Service) counted(w http.ResponseWriter, r *http.Request, p *mkg.Principal, d mkg.Dataset, serve func(http.ResponseWriter)) {
	if s.opt.Usage == nil || p.Anonymous() || r.Method != http.MethodGet || d == "" { // "": the usage export itself
		serve(w)
		return
	}
	cw := httpcount.New(w)
	serve(cw)
	if cw.Status < 300 {
		s.opt.Usage.Add(map[mkg.UsageKey]mkg.UsageCounts{
			{AccountID: p.Account.ID, Day: mkg.UsageDay(s.opt.Now()), Dataset: d}: {Downloads: 1, Bytes: cw.Bytes}})
	}
}

func (s *Service) principal(ctx context.Context, key string) (*mkg.Principal, error) {
	if key == "" {
		return s.opt.Principals.Anonymous(ctx)
	}
	return s.opt.Principals.PrincipalByKeyPrefix(ctx, key)
}

// notFound answers every refusal after the signature alike; storage
// failures are the exception (503 while the database is unavailable, 500
// otherwise), logged with their detail (an outage once per interval).
func (s *Service) notFound(ctx context.Context, w http.ResponseWriter, err error) {
	switch mkg.ErrorCode(err) {
	case mkg.ENOTFOUND, mkg.EFORBIDDEN, mkg.EUNAUTHENTICATED:
		refuse(w, http.StatusNotFound, "not found")
	case mkg.EUNAVAILABLE:
		s.outage.Log(ctx, slog.LevelError, "download: unavailable", "download", slog.Any("err", err))
		w.Header().Set("Retry-After", "5")
		refuse(w, http.StatusServiceUnavailable, "the database is unavailable; try again shortly")
	default:
		s.opt.Log.ErrorContext(ctx, "download", "err", err)
		refuse(w, http.StatusInternalServerError, "internal error")
	}
}

func (s *Service) serveFile(ctx context.Context, w http.ResponseWriter, r *http.Request, obj *object) {
	f, err := s.opt.Files.Open(ctx, obj.file.Digest)
	if err != nil {
		// The catalogue names a file the store no longer has: log it, and
		// answer like any other missing object.
		s.opt.Log.ErrorContext(ctx, "download: catalogued file missing from the file store", "digest", obj.file.Digest, "err", err)
		refuse(w, http.StatusNotFound, "not found")
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", obj.file.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": obj.file.Name}))
	h.Set("ETag", `"`+obj.file.Digest+`"`)
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, obj.file.Name, obj.modified, f)
}

// serveExport streams an export; its rights are ExportSpec.Allowed. The
// write deadline is lifted, since a large export outlasts the API's request
// timeout; an error mid-stream aborts the connection so the client sees a
// failed download, not a short file.
func (s *Service) serveExport(ctx context.Context, w http.ResponseWriter, r *http.Request, c Claims) {
	spec := c.Export
	if spec == nil || spec.Validate() != nil {
		refuse(w, http.StatusNotFound, "not found")
		return
	}
	if err := spec.Allowed(mkg.PrincipalFrom(ctx)); err != nil {
		s.notFound(ctx, w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", export.ContentType(spec.Format))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": export.FileName(*spec, s.opt.Now())}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	if err := s.opt.Exporter.Write(ctx, w, *spec); err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.opt.Log.ErrorContext(ctx, "export failed mid-stream", "kind", spec.Kind, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// refuse answers as the API answers its errors: {"errors": [{"message",
// "extensions": {"code"}}]}, the code following from the status.
func refuse(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	code := map[int]string{http.StatusForbidden: mkg.EFORBIDDEN, http.StatusNotFound: mkg.ENOTFOUND,
		http.StatusServiceUnavailable: mkg.EUNAVAILABLE}[status]
	if code == "" {
		code = mkg.EINTERNAL
	}
	type ext struct {
		Code string `json:"code"`
	}
	type gqlError struct {
		Message    string `json:"message"`
		Extensions ext    `json:"extensions"`
	}
	json.NewEncoder(w).Encode(struct {
		Errors []gqlError `json:"errors"`
	}{[]gqlError{{msg, ext{code}}}})
}
