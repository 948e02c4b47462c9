package graph

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedListsAreCounted: the generated code marshals lists with
// marshalSlice, which counts the elements' goroutines for the loaders
// (graph/loaders.go). gqlgen run without internal/gqlgen's rewrite would
// call graphql.MarshalSliceConcurrently, and loads in lists would wait for
// the loaders' time limit instead of their count.
func TestGeneratedListsAreCounted(t *testing.T) {
	src, err := os.ReadFile("generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(src, []byte("graphql.MarshalSliceConcurrently(")); n > 0 {
		t.Errorf("generated.go calls graphql.MarshalSliceConcurrently %d times: regenerate with go run ./internal/gqlgen", n)
	}
	if !bytes.Contains(src, []byte("marshalSlice(")) {
		t.Error("generated.go never calls marshalSlice: regenerate with go run ./internal/gqlgen")
	}
}
