// Package hostile generates GraphQL documents built to make a server work
// hard before it runs anything: fragments that fan out, fields repeated
// thousands of times, deep inline fragments, conflicting aliases, huge and
// deep variables. Tests send them and bound the CPU each one costs.
package hostile

import (
	"fmt"
	"strings"
)

// Doc is one generated document and its variables.
type Doc struct {
	Name  string
	Query string
	Vars  map[string]any
}

// Repeat joins f(0) … f(n-1) with spaces.
func Repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
		b.WriteByte(' ')
	}
	return b.String()
}

// FragmentFanOut: each of n fragments spreads the next twice.
func FragmentFanOut(n int) Doc {
	q := `{ stations { edges { node { ...F1 } } } } ` + Repeat(n, func(i int) string {
		if i == n-1 {
			return fmt.Sprintf("fragment F%d on Station { name }", i+1)
		}
		return fmt.Sprintf("fragment F%d on Station { name ...F%d ...F%d }", i+1, i+2, i+2)
	})
	return Doc{Name: fmt.Sprintf("fragment fan-out, %d levels", n), Query: q}
}

// InterfaceFanOut: the same on the Node interface.
func InterfaceFanOut(n int) Doc {
	q := `{ node(id: "x") { ...N1 } } ` + Repeat(n, func(i int) string {
		if i == n-1 {
			return fmt.Sprintf("fragment N%d on Node { id }", i+1)
		}
		return fmt.Sprintf("fragment N%d on Node { id ...N%d ...N%d }", i+1, i+2, i+2)
	})
	return Doc{Name: fmt.Sprintf("fragment fan-out on an interface, %d levels", n), Query: q}
}

// DuplicateFields: one field repeated n times in one selection set.
func DuplicateFields(n int) Doc {
	q := `{ stations { edges { node { ` + Repeat(n, func(int) string { return "name" }) + `} } } }`
	return Doc{Name: fmt.Sprintf("%d identical fields", n), Query: q}
}

// DuplicateObjects: an object field with a sub-selection repeated n times.
func DuplicateObjects(n int) Doc {
	q := `{ stations { edges { node { ` + Repeat(n, func(int) string { return "latestObservation { observedAt }" }) + `} } } }`
	return Doc{Name: fmt.Sprintf("%d identical object fields", n), Query: q}
}

// DeepInline: n nested inline fragments, each with a field.
func DeepInline(n int, field string) Doc {
	q := `{ stations { edges { node { ` + strings.Repeat("... on Station { "+field+" ", n) + strings.Repeat("} ", n) + `} } } }`
	return Doc{Name: fmt.Sprintf("%d nested inline fragments (%q)", n, field), Query: q}
}

// Aliases: n aliases of one field with different arguments.
func Aliases(n int) Doc {
	q := `{ ` + Repeat(n, func(i int) string { return fmt.Sprintf("a%d: stations(first: %d) { totalCount }", i, i%500+1) }) + `}`
	return Doc{Name: fmt.Sprintf("%d aliases, different arguments", n), Query: q}
}

// ConflictingAliases: n fields under one response name, each with other
// arguments: every pair conflicts.
func ConflictingAliases(n int) Doc {
	q := `{ ` + Repeat(n, func(i int) string { return fmt.Sprintf("s: stations(first: %d) { totalCount }", i+1) }) + `}`
	return Doc{Name: fmt.Sprintf("%d conflicting fields under one name", n), Query: q}
}

// ManySpreads: n fragments, all spread in one selection set.
func ManySpreads(n int) Doc {
	q := `{ stations { edges { node { ` + Repeat(n, func(i int) string { return fmt.Sprintf("...F%d", i) }) + `} } } } ` +
		Repeat(n, func(i int) string { return fmt.Sprintf("fragment F%d on Station { name }", i) })
	return Doc{Name: fmt.Sprintf("%d fragments spread in one set", n), Query: q}
}

// FragmentChain: n fragments, each spreading the next once.
func FragmentChain(n int) Doc {
	q := `{ stations { edges { node { ...F0 } } } } ` + Repeat(n, func(i int) string {
		if i == n-1 {
			return fmt.Sprintf("fragment F%d on Station { name }", i)
		}
		return fmt.Sprintf("fragment F%d on Station { name ...F%d }", i, i+1)
	})
	return Doc{Name: fmt.Sprintf("chain of %d fragments", n), Query: q}
}

// ManyVariables: n variable definitions, each used once.
func ManyVariables(n int) Doc {
	defs := Repeat(n, func(i int) string { return fmt.Sprintf("$v%d: Int", i) })
	q := `query(` + defs + `) { ` + Repeat(n, func(i int) string { return fmt.Sprintf("a%d: stations(first: $v%d) { totalCount }", i, i) }) + `}`
	vars := map[string]any{}
	for i := range n {
		vars[fmt.Sprintf("v%d", i)] = 1
	}
	return Doc{Name: fmt.Sprintf("%d variables", n), Query: q, Vars: vars}
}

// HugeListVariable: one list variable of n values, used by m fields.
func HugeListVariable(n, m int) Doc {
	q := `query($k: [StationKind!]) { ` + Repeat(m, func(i int) string { return fmt.Sprintf("a%d: stations(filter: {kinds: $k}) { totalCount }", i) }) + `}`
	kinds := make([]any, n)
	for i := range kinds {
		kinds[i] = "SYNOPTIC"
	}
	return Doc{Name: fmt.Sprintf("a %d-value list variable used by %d fields", n, m), Query: q, Vars: map[string]any{"k": kinds}}
}

// DeepListVariable: a list variable nested n deep.
func DeepListVariable(n int) Doc {
	var v any = "SYNOPTIC"
	for range n {
		v = []any{v}
	}
	return Doc{Name: fmt.Sprintf("a list variable nested %d deep", n), Query: `query($k: [StationKind!]) { stations(filter: {kinds: $k}) { totalCount } }`, Vars: map[string]any{"k": v}}
}

// DeepListLiteral: a list literal nested n deep in the document.
func DeepListLiteral(n int) Doc {
	q := `{ stations(filter: {kinds: ` + strings.Repeat("[", n) + "SYNOPTIC" + strings.Repeat("]", n) + `}) { totalCount } }`
	return Doc{Name: fmt.Sprintf("a list literal nested %d deep", n), Query: q}
}

// NestedDuplicates: a field repeated twice at each of n levels, so that the
// innermost level holds 2ⁿ copies of one response path.
func NestedDuplicates(n int) Doc {
	inner := "observedAt"
	for range n {
		inner = fmt.Sprintf("station { latestObservation { %s } } station { latestObservation { %s } }", inner, inner)
	}
	return Doc{Name: fmt.Sprintf("a field doubled at each of %d levels", n), Query: `{ stations { edges { node { latestObservation { ` + inner + ` } } } } }`}
}

// SpreadPairs: m copies of one field, each spreading the same n fragments,
// so that every pair of copies compares every pair of fragments.
func SpreadPairs(m, n int) Doc {
	spreads := Repeat(n, func(i int) string { return fmt.Sprintf("...O%d", i) })
	q := `{ stations { edges { node { ` + Repeat(m, func(int) string { return "latestObservation { " + spreads + "}" }) + `} } } } ` +
		Repeat(n, func(i int) string { return fmt.Sprintf("fragment O%d on Observation { a%d: observedAt }", i, i) })
	return Doc{Name: fmt.Sprintf("%d copies of a field spreading %d fragments", m, n), Query: q}
}

// ManyOperations: n named operations sharing one fragment.
func ManyOperations(n int) Doc {
	q := Repeat(n, func(i int) string { return fmt.Sprintf("query Q%d { stations { edges { node { ...S } } } }", i) }) +
		`fragment S on Station { name }`
	return Doc{Name: fmt.Sprintf("%d operations", n), Query: q}
}

// ManyArguments: one field with n arguments.
func ManyArguments(n int) Doc {
	q := `{ stations(` + Repeat(n, func(int) string { return "first: 1" }) + `) { totalCount } }`
	return Doc{Name: fmt.Sprintf("a field with %d arguments", n), Query: q}
}

// ManyDirectives: one field with n directives.
func ManyDirectives(n int) Doc {
	q := `{ stations { totalCount ` + Repeat(n, func(int) string { return "@include(if: true)" }) + `} }`
	return Doc{Name: fmt.Sprintf("a field with %d directives", n), Query: q}
}

// Introspection is the schema query GraphiQL and code generators send (with
// every option on): the largest ordinary document, with its nested
// fragments, that the limits must let through.
const Introspection = `query IntrospectionQuery {
  __schema {
    description
    queryType { name kind }
    mutationType { name kind }
    subscriptionType { name kind }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}

fragment TypeRef on __Type {
  kind
  name
  ofType {
    kind
    name
    ofType {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                }
              }
            }
          }
        }
      }
    }
  }
}`

// Shape is a family of documents growing with n.
type Shape struct {
	Name string
	Doc  func(n int) Doc
}

// Shapes are the families that grow within the token limit.
var Shapes = []Shape{
	{"fragment fan-out", FragmentFanOut},
	{"fragment fan-out on an interface", InterfaceFanOut},
	{"identical fields", DuplicateFields},
	{"identical object fields", DuplicateObjects},
	{"nested inline fragments", func(n int) Doc { return DeepInline(n, "name") }},
	{"nested inline fragments without fields", func(n int) Doc { return DeepInline(n, "__typename") }},
	{"aliases with different arguments", Aliases},
	{"conflicting fields under one name", ConflictingAliases},
	{"fragments spread in one set", ManySpreads},
	{"chain of fragments", FragmentChain},
	{"variables", ManyVariables},
	{"field doubled at each level", NestedDuplicates},
	{"copies of a field spreading fragments", func(n int) Doc { return SpreadPairs(n, n) }},
	{"operations", ManyOperations},
	{"arguments", ManyArguments},
	{"directives", ManyDirectives},
	{"nested list literal", DeepListLiteral},
	{"unknown fields", UnknownFields},
}

// Largest is the largest n, up to limit, for which ok(shape's document)
// holds, assuming it holds for small n and, once it fails, for no larger n.
func Largest(s Shape, limit int, ok func(Doc) bool) int {
	lo, hi := 1, 2
	for hi <= limit && ok(s.Doc(hi)) {
		lo, hi = hi, hi*2
	}
	hi = min(hi, limit+1)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if ok(s.Doc(mid)) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// UnknownFields: n misspelled fields, each an error with suggestions.
func UnknownFields(n int) Doc {
	q := `{ stations { edges { node { ` + Repeat(n, func(i int) string { return fmt.Sprintf("nme%d", i) }) + `} } } }`
	return Doc{Name: fmt.Sprintf("%d unknown fields", n), Query: q}
}
