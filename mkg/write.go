package mkg

// Outcome is what storing one record did.
type Outcome string

const (
	Inserted  Outcome = "inserted"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Rejected  Outcome = "rejected"
)

// WriteResult is the outcome of storing one record. Err is set (and Outcome
// is Rejected) when the record could not be stored; the others still are.
type WriteResult struct {
	Outcome Outcome
	ID      int64
	Err     error
}

// Changed reports whether the write changed what is stored.
func (r WriteResult) Changed() bool { return r.Outcome == Inserted || r.Outcome == Updated }
