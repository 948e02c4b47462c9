package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/bmkg/mkggraph/internal/lograte"
	"github.com/bmkg/mkggraph/internal/requestid"
	"github.com/bmkg/mkggraph/mkg"
)

// LogInterval is how often one kind of failure is written to the log at
// most: during an outage every request fails the same way, and one line
// per interval with a count says as much as thousands.
const LogInterval = 10 * time.Second

// ErrorPresenter maps every error to what a client may see: domain errors
// keep their message and get their code (and the argument at fault);
// GraphQL's own errors (syntax, validation, limits) pass through; anything
// else is logged with the request id and shown only as an internal error
// carrying that id, so SQL, file paths and stack traces never leave.
// UNAVAILABLE and INTERNAL failures are logged at most once per kind per
// LogInterval (see lograte).
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	limited := lograte.New(log, LogInterval)
	present := func(ctx context.Context, err error) *gqlerror.Error {
		Uncacheable(ctx) // only complete answers are cached
		out := graphql.DefaultErrorPresenter(ctx, err)
		var e *mkg.Error
		if errors.As(err, &e) {
			out.Message = e.Message
			out.Extensions = map[string]any{"code": e.Code}
			if e.Field != "" {
				out.Extensions["field"] = e.Field
			} else if f := argumentPath(ctx, out.Path); e.Code == mkg.EINVALID && f != "" {
				out.Extensions["field"] = f // a scalar's own check (DateTime …), which knows no name
			}
			for k, v := range e.Extra {
				out.Extensions[k] = v
			}
			if e.Code == mkg.EUNAVAILABLE {
				id := requestid.From(ctx)
				out.Extensions["requestId"] = id
				limited.Log(ctx, slog.LevelError, e.Code+": "+e.Message, "unavailable: "+e.Message,
					slog.String("request_id", id), slog.String("path", out.Path.String()), slog.Any("err", e.Err))
			}
			return out
		}
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			if gqlErr.Extensions == nil || gqlErr.Extensions["code"] == nil {
				out.Extensions = withCode(gqlErr.Extensions, "GRAPHQL_VALIDATION_FAILED")
			}
			return out
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			out.Message = "the request was cancelled or took too long"
			out.Extensions = map[string]any{"code": "TIMEOUT"}
			return out
		}
		id := requestid.From(ctx)
		limited.Log(ctx, slog.LevelError, "internal: "+err.Error(), "internal error",
			slog.String("request_id", id), slog.String("path", out.Path.String()), slog.Any("err", err))
		out.Message = "internal error"
		out.Extensions = map[string]any{"code": mkg.EINTERNAL, "requestId": id}
		return out
	}
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := present(ctx, err)
		if divert(ctx, out) {
			return nil // in the current event's message (EventErrors)
		}
		return out
	}
}

// argumentPath names the argument an error's path points into below the
// field being resolved ("filter.from", "input.points[2]"); "" when the
// path is the field's own.
func argumentPath(ctx context.Context, path ast.Path) string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return ""
	}
	field := fc.Path()
	if len(path) <= len(field) || path[:len(field)].String() != field.String() {
		return ""
	}
	var b strings.Builder
	for _, el := range path[len(field):] {
		switch el := el.(type) {
		case ast.PathName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(el))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(el))
		}
	}
	return b.String()
}

func withCode(ext map[string]any, code string) map[string]any {
	out := map[string]any{"code": code}
	for k, v := range ext {
		if k != "code" {
			out[k] = v
		}
	}
	return out
}

// Recover turns a panic in a resolver into an internal error for that field
// of that request only, logging the stack with the request id.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "request_id", requestid.From(ctx), "panic", fmt.Sprint(p),
			"stack", string(debug.Stack()))
		return errors.New("panic") // not an *mkg.Error, so presented as INTERNAL with the request id
	}
}
