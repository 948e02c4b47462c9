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
// Run from the repository root: go run ./internal/gqlgen
package main

import (
	"bytes"
	"fmt"
	"os"
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
	if err := countedSlices(cfg.Exec.Filename); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(1)
	}
}

// countedSlices makes the generated code at path marshal lists with
// marshalSlice. It fails when there is no call to rewrite: gqlgen changed
// how it marshals lists, and the loaders would lose their count.
func countedSlices(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	const from, to = "graphql.MarshalSliceConcurrently(", "marshalSlice("
	if !bytes.Contains(src, []byte(from)) {
		return fmt.Errorf("%s: no call of %s to rewrite: see countedSlices", path, strings.TrimSuffix(from, "("))
	}
	return os.WriteFile(path, bytes.ReplaceAll(src, []byte(from), []byte(to)), 0o644)
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
