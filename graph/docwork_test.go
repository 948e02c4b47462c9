package graph_test

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/internal/hostile"
)

const (
	workLimit = 100000 // httpapi.DefaultLimits.MaxWork
	tokens    = 15000  // httpapi.DefaultLimits.MaxTokens
	// cpuBound is what validating a document within workLimit may cost.
	// Measured, the worst shapes take 5 to 20 ms at the limit.
	cpuBound = 50 * time.Millisecond * hostile.Slowdown
)

func parse(t testing.TB, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, tokens)
	if err != nil {
		t.Fatalf("%v\n%.200s", err, q)
	}
	return doc
}

func work(t testing.TB, q string) int {
	w, _, cycle := graph.DocumentWork(parse(t, q), 1<<40)
	if cycle != "" {
		t.Fatalf("cycle through %s in\n%.200s", cycle, q)
	}
	return w
}

// validationCPU is the processor time gqlparser's validation of q takes.
func validationCPU(t testing.TB, q string) time.Duration {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	doc := parse(t, q)
	return hostile.CPU(func() { validator.ValidateWithRules(schema, doc, graph.ValidationRules(100)()) })
}

// TestDocumentWorkGrowsAsValidationDoes: the estimate follows the shapes
// that make validation slow, quadratic or worse, and stays small for the
// large documents clients really send.
func TestDocumentWorkGrowsAsValidationDoes(t *testing.T) {
	for _, c := range []struct {
		name   string
		doc    func(int) hostile.Doc
		n      int
		growth float64 // at least, when n doubles
	}{
		{"identical fields", hostile.DuplicateFields, 500, 3.5},
		{"conflicting fields", hostile.ConflictingAliases, 300, 3.5},
		{"nested inline fragments", func(n int) hostile.Doc { return hostile.DeepInline(n, "name") }, 60, 6},
		{"fragment chain", hostile.FragmentChain, 100, 4},
		{"fragment fan-out", hostile.FragmentFanOut, 8, 100},
	} {
		small, large := work(t, c.doc(c.n).Query), work(t, c.doc(2*c.n).Query)
		if float64(large) < c.growth*float64(small) {
			t.Errorf("%s: work %d for n = %d, %d for 2n: want × %.1f", c.name, small, c.n, large, c.growth)
		}
	}
	legit := []string{hostile.Introspection, everyField(t, costSchema().Schema(), 3), relayLike(40)}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllSubmatch(readme, -1) {
		legit = append(legit, string(b[1]))
	}
	for _, q := range legit {
		if w := work(t, q); w > workLimit/4 {
			t.Errorf("work %d for an ordinary document, over a quarter of the limit:\n%.300s", w, q)
		}
	}
}

// relayLike is a document as a component-based client builds it: n
// fragments on Station, each selecting a few fields and spreading up to
// two of the later ones, some fragments reached along several paths.
func relayLike(n int) string {
	var b strings.Builder
	b.WriteString("{ stations(first: 20) { edges { node { ...F0 ...F1 } } } }\n")
	fields := []string{"id", "name", "wmoIndex", "elevation", "kinds", "latestObservation { observedAt }", "identifiers { scheme value }"}
	for i := range n {
		b.WriteString("fragment F" + strconv.Itoa(i) + " on Station { ")
		for j := range 3 {
			b.WriteString(fields[(i+j)%len(fields)] + " ")
		}
		for _, next := range []int{2*i + 2, 2*i + 3} {
			if next < n {
				b.WriteString("...F" + strconv.Itoa(next) + " ")
			}
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// TestDocumentWorkBoundsValidation: for every hostile shape, the largest
// document within the work limit validates within cpuBound, and the
// estimate of the largest one within the token limit is quick.
func TestDocumentWorkBoundsValidation(t *testing.T) {
	for _, s := range hostile.Shapes {
		fits := func(d hostile.Doc) bool {
			_, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: d.Query}, tokens)
			return err == nil
		}
		within := func(d hostile.Doc) bool { return fits(d) && work(t, d.Query) <= workLimit }
		n := hostile.Largest(s, 1<<20, within)
		cpu := validationCPU(t, s.Doc(n).Query)
		largest := s.Doc(hostile.Largest(s, 1<<20, fits)).Query
		estimate := hostile.CPU(func() { graph.DocumentWork(parse(t, largest), workLimit) })
		t.Logf("%-40s within the limit: n = %5d, work %6d, validation %6.2f ms; at the token limit: parse and estimate %5.2f ms",
			s.Name, n, work(t, s.Doc(n).Query), ms(cpu), ms(estimate))
		if cpu > cpuBound {
			t.Errorf("%s: validating the largest document within the work limit (n = %d) took %v", s.Name, n, cpu)
		}
		if estimate > cpuBound/2 {
			t.Errorf("%s: parsing and estimating the largest document took %v", s.Name, estimate)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// TestDocumentWorkBoundsRandomDocuments: random documents mixing every
// construct (duplicates, aliases, inline fragments, fragments spreading
// fragments) validate within cpuBound whenever their work is within limit.
func TestDocumentWorkBoundsRandomDocuments(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 1))
	checked, maxWork, worst, worstRatio := 0, 0, 0, 0.0
	for range 300 {
		q := randomDocument(r)
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q}, tokens)
		if err != nil {
			continue
		}
		w, _, _ := graph.DocumentWork(doc, workLimit)
		if w > workLimit {
			continue
		}
		checked++
		cpu := validationCPU(t, q)
		if cpu > cpuBound {
			t.Errorf("work %d, validation %v:\n%.500s", w, cpu, q)
		}
		if w >= 10000 && float64(cpu.Nanoseconds())/float64(w) > worstRatio {
			worstRatio, worst = float64(cpu.Nanoseconds())/float64(w), w
		}
		maxWork = max(maxWork, w)
	}
	t.Logf("%d documents within the limit, work up to %d; the most CPU per unit of work over 10,000: %.0f ns at %d", checked, maxWork, worstRatio, worst)
	if checked < 100 {
		t.Errorf("only %d random documents within the limit: the generator is off", checked)
	}
}

// randomDocument builds a valid-looking document on Station and
// Observation, small parts repeated at random.
func randomDocument(r *rand.Rand) string {
	k := 2 + r.IntN(6) // how large this one grows
	frags := 1 + r.IntN(3*k)
	var sel func(typ string, depth, frag int) string
	sel = func(typ string, depth, frag int) string {
		var b strings.Builder
		for range 1 + r.IntN(k) {
			switch c := r.IntN(10); {
			case c < 4:
				scalars := map[string][]string{"Station": {"name", "id", "wmoIndex"}, "Observation": {"observedAt", "id"}}[typ]
				f := scalars[r.IntN(len(scalars))]
				if r.IntN(3) == 0 {
					f = "a" + string(rune('0'+r.IntN(3))) + ": " + f
				}
				b.WriteString(strings.Repeat(f+" ", 1+r.IntN(1+r.IntN(6*k))))
			case c < 6 && depth > 0:
				obj := map[string]string{"Station": "latestObservation", "Observation": "station"}[typ]
				next := map[string]string{"Station": "Observation", "Observation": "Station"}[typ]
				b.WriteString(strings.Repeat(obj+" { "+sel(next, depth-1, frag)+"} ", 1+r.IntN(3)))
			case c < 8 && depth > 0:
				b.WriteString(strings.Repeat("... on "+typ+" { "+sel(typ, depth-1, frag)+"} ", 1+r.IntN(2)))
			case typ == "Station" && frag+1 < frags:
				f := frag + 1 + r.IntN(frags-frag-1)
				b.WriteString(strings.Repeat("...S"+strconv.Itoa(f)+" ", 1+r.IntN(3)))
			}
		}
		return b.String() + "__typename "
	}
	var b strings.Builder
	b.WriteString("{ stations { edges { node { " + sel("Station", 2, -1) + "...S0 } } } }\n")
	for i := range frags {
		b.WriteString("fragment S" + strconv.Itoa(i) + " on Station { " + sel("Station", 1+r.IntN(2), i) + "}\n")
	}
	return b.String()
}

// TestDocumentWorkFindsCycles: a fragment spreading itself is found, with
// no endless expansion, directly or through others.
func TestDocumentWorkFindsCycles(t *testing.T) {
	for q, want := range map[string]string{
		`{ ...A } fragment A on Query { ...A }`:                                              "A",
		`{ ...A } fragment A on Query { __typename ...B ...B } fragment B on Query { ...A }`: "A",
		`{ ...A } fragment A on Query { ...Missing }`:                                        "",
	} {
		if _, _, cycle := graph.DocumentWork(parse(t, q), workLimit); cycle != want {
			t.Errorf("%s: cycle %q, want %q", q, cycle, want)
		}
	}
}
