// Command gqlgen generates graph/ and the resolver stubs from gqlgen.yml,
// as `go tool gqlgen generate` does, with two changes of this project.
//
// The fields of an object resolve one after another, in the goroutine that
// marshals the object, instead of one goroutine per resolver field (a
// plugin). Why: almost every resolver field of an object here returns at
// once (an id encoded, an empty string made null, a value read from its
// parent), or reads through a loader, waiting with its list's other
// elements for one batch. A
// goroutine per such field cost more than the field: in a profile of a
// station's last 24 observations without the response cache (BENCHMARKS.md,
// issue 10), goroutine start-up, stack growth and scheduling were the
// largest share of our own CPU. The elements of a list are still marshalled
// concurrently (gqlgen's MarshalSliceConcurrently), so the loads of a
// field across a list's elements still meet in one batch, and the root
// fields of a query still run concurrently. Mutations already resolve in
// order; subscriptions' root fields are left as gqlgen makes them.
//
// The generated code marshals lists with the graph package's marshalSlice
// instead of graphql.MarshalSliceConcurrently (a rewrite of the generated
// file): it is the same, and tells the request's loaders when the
// elements' goroutines start and end, so that a batch runs when every
// element waits for it (dataloaders/batcher.go).
//
// Two more rewrites take per-object work out of the generated code, which
// a profile of the dashboard without the response cache (100 stations,
// each with its latest observation: about 600 objects) put at a fifth of
// the process's CPU (BENCHMARKS.md, issue 10):
//   - graphql.NewDeferredGroup(ctx) computes the object's path, a field set
//     and a map, for the fields an object defers. The schema declares no
//     @defer, so no field is ever deferred: the group is left empty (its
//     zero value), and the rewrite fails if the generated code starts to
//     use it otherwise.
//   - graphql.CollectFields, cached per operation by gqlgen, hashes the
//     object's implementors with a new FNV hasher at every call to build
//     its cache key; the graph package's collectFields keys its own cache
//     by the slices' addresses (graph/objects.go).
//   - graphql.FieldSet, an object's fields, keeps a map of the names it
//     wrote and copies each field to the heap as it writes it; the graph
//     package's objectOf writes them without (graph/objects.go). Every
//     object returns its field set with the same `return out`, counted
//     against the field sets made.
//   - A Float is marshalled by gqlgen as a closure wrapped with the
//     context (two allocations) that formats it with fmt; marshalFloat
//     (graph/objects.go) makes one value that formats it with strconv,
//     the same digits, and leaves NaN and infinities, which are errors,
//     to gqlgen.
//
// Run from the repository root: go run ./internal/gqlgen
package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(2)
	}
	if err := api.Generate(cfg, api.AddPlugin(inOrder{})); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(1)
	}
	if err := rewrite(cfg.Exec.Filename); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(1)
	}
}

// The rewrites of the generated code (see the top of this file). Each
// fails when there is nothing to rewrite: gqlgen changed what it
// generates, and the rewrite must be looked at again.
var rewrites = []struct{ from, to string }{
	{"graphql.MarshalSliceConcurrently(", "marshalSlice("},
	{"deferred := graphql.NewDeferredGroup(ctx)", "var deferred graphql.DeferredGroup // the schema has no @defer (internal/gqlgen)"},
	{"graphql.CollectFields(ec.OperationContext, ", "collectFields(ec.OperationContext, "},
	{"\n\treturn out\n}\n", "\n\treturn objectOf(fields, out)\n}\n"},
	{"res := graphql.MarshalFloatContext(v)\n\tif res == graphql.Null {\n\t\tgraphql.AddInvalidNullFromMarshaler(ctx, \"Float!\")\n\t}\n\treturn graphql.WrapContextMarshaler(ctx, res)",
		"return marshalFloat(ctx, v)"},
	{"res := graphql.MarshalFloatContext(*v)\n\treturn graphql.WrapContextMarshaler(ctx, res)", "return marshalFloat(ctx, *v)"},
}

// deferredUse finds what the generated code does with an object's group of
// deferred fields: a field of it, or a call it is passed to.
var deferredUse = regexp.MustCompile(`(?:^|[^.\w])deferred\.(\w+)|(\w+)\(deferred\)`)

// rewrite applies the rewrites to the generated code at path.
func rewrite(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// An empty group is right only while nothing puts a field in it: the
	// generated code may only ask for its size, and hand it on when it is
	// not empty.
	for _, m := range deferredUse.FindAllSubmatch(src, -1) {
		if string(m[1]) != "Defers" && string(m[2]) != "ProcessDeferredGroup" {
			return fmt.Errorf("%s: the generated code uses an object's deferred group (%s): see rewrites", path, bytes.TrimSpace(m[0]))
		}
	}
	// Every object returns its own field set, and only objects return one.
	if made, returned := bytes.Count(src, []byte("out := graphql.NewFieldSet(fields)")), bytes.Count(src, []byte("\n\treturn out\n}\n")); made != returned {
		return fmt.Errorf("%s: %d field sets made, %d returned as `return out`: see rewrites", path, made, returned)
	}
	for _, r := range rewrites {
		if !bytes.Contains(src, []byte(r.from)) {
			return fmt.Errorf("%s: no %s to rewrite: see rewrites", path, strings.TrimSuffix(r.from, "("))
		}
		src = bytes.ReplaceAll(src, []byte(r.from), []byte(r.to))
	}
	return os.WriteFile(path, src, 0o644)
}

// inOrder turns off gqlgen's goroutine per resolver field on every object
// but the query and subscription roots.
type inOrder struct{}

func (inOrder) Name() string { return "in-order-fields" }

func (inOrder) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if o.Definition == data.Schema.Query || o.Definition == data.Schema.Subscription {
			continue
		}
		o.DisableConcurrency = true
	}
	return nil
}
