package graph

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// ValueWork is the work reading one value of a request costs, in the units
// of DocumentWork: decoding it from JSON and coercing a variable, or
// unmarshalling an argument for a resolver or a cost function, take 0.1 to
// 2 µs a value, against 30 to 150 ns for one comparison in validation.
const ValueWork = 20

// The codes of requests refused for what they would cost.
const (
	CodeDepthLimit      = "DEPTH_LIMIT_EXCEEDED"
	CodeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
	CodeWorkLimit       = "WORK_LIMIT_EXCEEDED"
)

// QueryLimits refuses a request before it runs when it would cost too much:
// too deep (recursive relations such as station → observation → station
// would be abused with depth, each level costing little), too costly (the
// rows it may fetch), or too much work just to check it. Every check is
// linear in the document, whatever its fragments and repetitions: a
// document whose validation would not be (see DocumentWork) is refused
// before it is validated.
type QueryLimits struct {
	MaxDepth  int // field nesting
	MaxCost   int // complexity, list fields scaled by page size (SetComplexity)
	MaxWork   int // validation work (DocumentWork) and argument values read (Measure.Work)
	MaxTokens int // the parser's token limit, for the parse before validation
	// Documents is the executor's cache of parsed and validated documents:
	// a query found there has passed the checks before validation already.
	Documents graphql.Cache[*ast.QueryDocument]
	// Quota, when set, charges each operation's cost to its caller's
	// budget before it runs (chargeQuota).
	Quota *mkg.QuotaPolicy

	es graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
} = &QueryLimits{}

// ExtensionName implements graphql.HandlerExtension.
func (*QueryLimits) ExtensionName() string { return "QueryLimits" }

// Validate implements graphql.HandlerExtension.
func (l *QueryLimits) Validate(es graphql.ExecutableSchema) error {
	l.es = es
	return nil
}

// MutateOperationParameters implements graphql.OperationParameterMutator: it
// runs before the executor parses and validates the query, and refuses
// variables holding more values than the work limit allows, and a document
// whose validation would exceed it. A request carrying only a persisted
// query's hash has no query yet: the query passed here when it was
// persisted, provided this runs before the persisted-query extension.
func (l *QueryLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	// Coercing the variables is work too; refuse before, not after.
	if n := countValues(p.Variables); mul(n, ValueWork) > l.MaxWork {
		return limitError(CodeWorkLimit, "the variables hold %d values; the limit is %d", n, l.MaxWork/ValueWork)
	}
	if p.Query == "" {
		return nil
	}
	if l.Documents != nil {
		if _, checked := l.Documents.Get(ctx, p.Query); checked {
			return nil
		}
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, l.MaxTokens)
	if err != nil {
		var gqlErr *gqlerror.Error
		if !errors.As(err, &gqlErr) {
			gqlErr = gqlerror.Wrap(err)
		}
		errcode.Set(gqlErr, errcode.ParseFailed)
		return gqlErr
	}
	work, why, cycle := DocumentWork(doc, l.MaxWork)
	if cycle != "" {
		err := gqlerror.Errorf("Cannot spread fragment %q within itself.", cycle)
		errcode.Set(err, errcode.ValidationFailed)
		return err
	}
	if work > l.MaxWork {
		return limitError(CodeWorkLimit, "validating the document would take %d or more units of work (%s); the limit is %d", work, why, l.MaxWork)
	}
	return batchFrom(ctx).chargeDocument(work, l.MaxWork)
}

// MutateOperationContext implements graphql.OperationContextMutator: with
// the document validated and the variables known, it measures the operation
// (MeasureOperation) and refuses it over a limit.
func (l *QueryLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	m := MeasureOperation(ctx, l.es, op.Operation, op.Variables, l.MaxWork)
	// Depth and cost are complete when Work is within limit, and too low
	// otherwise (the measure stopped), so they are checked first.
	switch {
	case m.Depth > l.MaxDepth:
		return limitError(CodeDepthLimit, "query is nested %d levels deep; the limit is %d", m.Depth, l.MaxDepth)
	case m.Cost > l.MaxCost:
		return limitError(CodeComplexityLimit, "operation has complexity %d, which exceeds the limit of %d", m.Cost, l.MaxCost)
	case m.Work > l.MaxWork:
		return limitError(CodeWorkLimit, "the operation would read %d or more argument values as it runs (each field's arguments, variables included, every time the field runs); the limit is %d",
			m.Work/ValueWork, l.MaxWork/ValueWork)
	}
	if err := batchFrom(ctx).chargeOperation(m, l); err != nil {
		return err
	}
	op.Stats.SetExtension(costStat, m.Cost) // a subscription's events are charged it too (OperationCost)
	if err := l.chargeQuota(ctx, m.Cost); err != nil {
		return err
	}
	BillFrom(ctx).measured(m.Cost)
	return nil
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": code}
	return err
}

// ValidationRules are gqlgen's validation rules reporting max errors in all
// per document, and then one saying that there are more: past that, an
// error's message is not even formatted (182 conflicting fields made 16,000
// errors, 3.9 MB). The rules for unknown fields and for leaf fields make no
// suggestions (gqlgen keeps these variants when they are in the set and
// suggestions are disabled): with suggestions, each a Levenshtein distance
// to every field of the type, 7,000 misspelt fields took 45 ms to check.
func ValidationRules(max int) func() *rules.Rules {
	return func() *rules.Rules {
		r := rules.NewDefaultRules()
		r.RemoveRule(rules.FieldsOnCorrectTypeRule.Name)
		r.RemoveRule(rules.ScalarLeafsRule.Name)
		r.AddRule(rules.FieldsOnCorrectTypeRuleWithoutSuggestions.Name, rules.FieldsOnCorrectTypeRuleWithoutSuggestions.RuleFunc)
		r.AddRule(rules.ScalarLeafsRuleWithoutSuggestions.Name, rules.ScalarLeafsRuleWithoutSuggestions.RuleFunc)
		reported := 0
		for name, rule := range r.GetInner() {
			r.ReplaceRule(name, func(observers *core.Events, addError core.AddErrFunc) {
				rule(observers, func(options ...core.ErrorOption) {
					reported++
					switch {
					case reported <= max:
						addError(options...)
					case reported == max+1:
						addError(core.Message("further errors not shown"))
					}
				})
			})
		}
		return r
	}
}

// pageCost is what one connection page multiplies its children by.
func pageCost(first *int) int {
	if first == nil {
		return mkg.DefaultPageSize
	}
	return max(1, *first)
}

// SetComplexity makes the cost of list fields scale with the page size they
// ask for, so that the complexity limit bounds the rows a query can fetch.
func SetComplexity(c *ComplexityRoot) {
	c.Query.Stations = func(child int, _ *model.StationFilter, first *int, _ *string) int { return 1 + child*pageCost(first) }
	c.Query.Observations = func(child int, _ *model.ObservationFilter, first *int, _ *string) int {
		return 1 + child*pageCost(first)
	}
	c.Query.Earthquakes = func(child int, _ *model.EarthquakeFilter, _ *mkg.EarthquakeOrder, first *int, _ *string) int {
		return 1 + child*pageCost(first)
	}
	c.Query.UsageLines = func(child int, _ *string, _, _ time.Time, first *int, _ *string) int {
		return 1 + child*pageCost(first)
	}
	c.Query.RateLimit = func(int) int { return 0 } // free: asking one's budget spends none of it
	c.Station.Observations = func(child int, _, _ *time.Time, first *int, _ *string) int { return 1 + child*pageCost(first) }
	// A router sends one representation per entity it wants.
	c.Query.__resolve_entities = func(child int, reps []map[string]any) int { return 1 + child*max(1, len(reps)) }
	c.Earthquake.NearestStations = func(child int, first *int, _ []mkg.StationKind) int {
		n := 5
		if first != nil {
			n = max(1, *first)
		}
		return 1 + child*n
	}
}
