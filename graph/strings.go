package graph

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/mkg"
)

// Strings refuses text no store or mail server can take before any
// resolver sees it: a string argument (or a string anywhere inside an
// input object or list, or an uploaded file's name) holding a NUL byte or
// bytes that are not UTF-8 is BAD_USER_INPUT naming its path
// ("input.applicant.name", "input.form.datasets[2]", "letter.filename").
// PostgreSQL refuses both in text columns, so without this check they came
// back as INTERNAL errors.
//
// Each field of the document is checked once per operation, however many
// list items it is resolved for (a large variable under a list field is not
// walked once per item).
type Strings struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = Strings{}

// ExtensionName implements graphql.HandlerExtension.
func (Strings) ExtensionName() string { return "StringArguments" }

// Validate implements graphql.HandlerExtension.
func (Strings) Validate(graphql.ExecutableSchema) error { return nil }

type checkedKey struct{}

// InterceptOperation gives the operation its table of checked fields.
func (Strings) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, checkedKey{}, &sync.Map{}))
}

// checkStrings checks the arguments of the field fc, which has some (the
// executor's field middleware calls it: see fieldMiddleware).
func checkStrings(ctx context.Context, fc *graphql.FieldContext) error {
	checked, _ := ctx.Value(checkedKey{}).(*sync.Map)
	if checked != nil {
		if err, ok := checked.Load(fc.Field.Field); ok {
			if err != nil {
				return err.(error)
			}
			return nil
		}
	}
	var vars map[string]any
	if graphql.HasOperationContext(ctx) {
		vars = graphql.GetOperationContext(ctx).Variables
	}
	err := checkArguments(fc.Field.Arguments, vars)
	if checked != nil {
		checked.Store(fc.Field.Field, err)
	}
	return err
}

func checkArguments(args ast.ArgumentList, vars map[string]any) error {
	for _, a := range args {
		v, err := a.Value.Value(vars)
		if err != nil {
			continue // the executor reports a bad value itself
		}
		if err := checkValue(a.Name, v); err != nil {
			return err
		}
	}
	return nil
}

// checkValue walks a coerced argument value: strings, input objects
// (maps), lists and uploads.
func checkValue(path string, v any) error {
	switch v := v.(type) {
	case string:
		return checkString(path, v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys) // the first bad field named is always the same one
		for _, k := range keys {
			if err := checkValue(path+"."+k, v[k]); err != nil {
				return err
			}
		}
	case []any:
		for i, x := range v {
			if err := checkValue(path+"["+strconv.Itoa(i)+"]", x); err != nil {
				return err
			}
		}
	case graphql.Upload:
		return checkString(path+".filename", v.Filename)
	case *graphql.Upload:
		if v != nil {
			return checkString(path+".filename", v.Filename)
		}
	}
	return nil
}

func checkString(path, s string) error {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return mkg.Invalid(path, "must not contain a NUL character (\\u0000)")
	case !utf8.ValidString(s):
		return mkg.Invalid(path, "must be UTF-8 text")
	}
	return nil
}
