package netcdf

import (
	"fmt"
	"slices"
)

// span is a run of bytes that one variable, or the records, occupy.
type span struct {
	what       string
	start, end int64
}

// checkOverlap refuses a header that gives two variables the same bytes:
// each non-record variable, and the records as a block, must lie apart.
// checkExtent has run, so no end computed here overflows.
func (f *File) checkOverlap(recVars []*Var) error {
	var spans []span
	for i := range f.Vars {
		if v := &f.Vars[i]; !v.record {
			spans = append(spans, span{fmt.Sprintf("variable %q", v.Name), v.Begin, v.Begin + v.dataSize})
		}
	}
	if len(recVars) > 0 && f.NumRecs > 0 {
		rec := span{what: "the records", start: recVars[0].Begin}
		for _, v := range recVars {
			rec.start = min(rec.start, v.Begin)
			rec.end = max(rec.end, v.Begin+(f.NumRecs-1)*f.recSize+v.dataSize)
		}
		spans = append(spans, rec)
	}
	return disjoint(spans)
}

// checkRecord refuses record variables whose slices of a record overlap,
// or do not fit in the record size the shapes give: the begins of such a
// header contradict its vsizes.
func checkRecord(recVars []*Var, recSize, numRecs int64) error {
	if len(recVars) == 0 || numRecs == 0 {
		return nil
	}
	var spans []span
	first := recVars[0].Begin
	for _, v := range recVars {
		spans = append(spans, span{fmt.Sprintf("record variable %q", v.Name), v.Begin, v.Begin + v.dataSize})
		first = min(first, v.Begin)
	}
	if err := disjoint(spans); err != nil {
		return err
	}
	for _, s := range spans {
		if s.end-first > recSize {
			return fmt.Errorf("%s ends %d bytes into a record, but a record is %d bytes", s.what, s.end-first, recSize)
		}
	}
	return nil
}

// disjoint reports the first two spans that share a byte.
func disjoint(spans []span) error {
	slices.SortFunc(spans, func(a, b span) int {
		switch {
		case a.start < b.start:
			return -1
		case a.start > b.start:
			return 1
		}
		return 0
	})
	for i := 1; i < len(spans); i++ {
		if prev, cur := spans[i-1], spans[i]; cur.start < prev.end && cur.end > cur.start {
			return fmt.Errorf("%s (bytes %d to %d) overlaps %s (from byte %d)", cur.what, cur.start, cur.end, prev.what, prev.start)
		}
	}
	return nil
}
