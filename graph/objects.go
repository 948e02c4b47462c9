package graph

import (
	"bytes"
	"context"
	"io"
	"math"
	"strconv"
	"sync"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// collectFields is graphql.CollectFields for the generated code (which
// internal/gqlgen rewrites to call it): the fields of a selection set that
// apply to an object of a type with the given implementors. gqlgen caches
// them per operation too, but builds its cache key with a new FNV hasher
// over the implementors' names at every call, once per object marshalled:
// 8 % of the CPU of the dashboard without the response cache. Here the key
// is the two slices' addresses and lengths: a selection set of the
// operation's document, and an implementors table of the generated code,
// neither of which changes while the operation runs.
//
// The cache lives from countOperation's start of a query's or mutation's
// response to its end (operationFields); a subscription's events, not
// counted there, use gqlgen's.
func collectFields(oc *graphql.OperationContext, sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	v, ok := operationFields.Load(oc)
	if !ok {
		return graphql.CollectFields(oc, sel, satisfies)
	}
	c := v.(*fieldsCache)
	key := fieldsKey{unsafe.SliceData(sel), len(sel), unsafe.SliceData(satisfies), len(satisfies)}
	c.mu.RLock()
	fields, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return fields
	}
	fields = graphql.CollectFields(oc, sel, satisfies)
	c.mu.Lock()
	c.m[key] = fields
	c.mu.Unlock()
	return fields
}

// operationFields holds the fields cache of each operation whose response
// is being made: *graphql.OperationContext → *fieldsCache.
var operationFields sync.Map

type fieldsCache struct {
	mu sync.RWMutex
	m  map[fieldsKey][]graphql.CollectedField
}

type fieldsKey struct {
	sel          *ast.Selection
	selLen       int
	satisfies    *string
	satisfiesLen int
}

// cacheFields gives oc's operation a fields cache until the returned
// function is called.
func cacheFields(oc *graphql.OperationContext) (end func()) {
	if _, loaded := operationFields.LoadOrStore(oc, &fieldsCache{m: map[fieldsKey][]graphql.CollectedField{}}); loaded {
		return func() {} // a second response of the same operation: the first one's ends it
	}
	return func() { operationFields.Delete(oc) }
}

// objectOf is what the generated code returns for an object (internal/gqlgen
// rewrites its `return out`): the object's fields, marshalled as
// graphql.FieldSet marshals them but without its per-object costs. FieldSet
// keeps a map of the names it wrote, to skip an alias seen twice, and hands
// each field to the writing loop by the address of a copy, which escapes: a
// map and one allocation per field of every object, 7 % of the
// allocations of the dashboard without the response cache. The fields
// graphql.CollectFields returns have one entry per response name (it
// merges the selections of a name into one field) and, with no @defer in
// the schema, no field is left for a later payload, so there is nothing to
// skip.
func objectOf(fields []graphql.CollectedField, out *graphql.FieldSet) graphql.Marshaler {
	return &object{fields: fields, values: out.Values}
}

type object struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

var (
	openBrace  = []byte{'{'}
	closeBrace = []byte{'}'}
	quote      = []byte{'"'}
	nameEnd    = []byte(`":`)
	comma      = []byte{','}
	null       = []byte("null")
)

// MarshalGQL writes the object. A response name is a GraphQL name
// ([_A-Za-z][_0-9A-Za-z]*): it needs no escaping in JSON.
func (o *object) MarshalGQL(w io.Writer) {
	w.Write(openBrace)
	for i := range o.fields {
		if i > 0 {
			w.Write(comma)
		}
		w.Write(quote)
		io.WriteString(w, o.fields[i].Alias)
		w.Write(nameEnd)
		if v := o.values[i]; v != nil {
			v.MarshalGQL(w)
		} else {
			w.Write(null)
		}
	}
	w.Write(closeBrace)
}

// marshalFloat is a Float for the generated code (see internal/gqlgen):
// gqlgen's graphql.MarshalFloatContext, without its closure and context
// wrapper for a finite value. NaN and infinities go to gqlgen, which
// reports them as the field's error.
func marshalFloat(ctx context.Context, f float64) graphql.Marshaler {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return graphql.WrapContextMarshaler(ctx, graphql.MarshalFloatContext(f))
	}
	return finiteFloat(f)
}

// finiteFloat writes what fmt's %g writes for it, as gqlgen does: the
// shortest representation that reads back as the same float64.
type finiteFloat float64

func (f finiteFloat) MarshalGQL(w io.Writer) {
	if b, ok := w.(*bytes.Buffer); ok { // the executor's: no buffer of our own to allocate
		b.Write(strconv.AppendFloat(b.AvailableBuffer(), float64(f), 'g', -1, 64))
		return
	}
	w.Write(strconv.AppendFloat(nil, float64(f), 'g', -1, 64))
}
