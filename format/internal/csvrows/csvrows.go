// Package csvrows reads delimited text files whose first row names the
// columns, as the station-list and air-quality readers need them: columns
// found by their names, every data row with its line, and every row that
// cannot be used rejected with its line and reason, so a bad row is
// reported and the rest of the file still loads.
package csvrows

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bmkg/mkggraph/format/internal/decimal"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// Read reads data as a CSV file with a header: locate finds the columns it
// needs among the header's names, or says why data is not the format, and
// row turns each data row into a T or gives the reason to reject it.
func Read[C, T any](data []byte, errFormat error, locate func(header []string) (C, error), row func(C, []string) (T, string)) ([]T, []reject.Reject, error) {
	r := NewReader(data)
	header, err := Header(r, errFormat)
	if err != nil {
		return nil, nil, err
	}
	cols, err := locate(header)
	if err != nil {
		return nil, nil, err
	}
	var out []T
	rejects, err := Each(r, len(header), func(_ int, rec []string) string {
		v, reason := row(cols, rec)
		if reason == "" {
			out = append(out, v)
		}
		return reason
	})
	if err != nil {
		return nil, nil, err
	}
	return out, rejects, nil
}

// NewReader reads the CSV records of data, less any byte-order mark. Rows
// may differ in width, so that Each can reject one that differs from the
// header instead of failing the file.
func NewReader(data []byte) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(sniff.TrimBOM(data)))
	r.FieldsPerRecord = -1
	return r
}

// Header reads the first record, the column names. A file without one is
// not the format: the error wraps errFormat.
func Header(r *csv.Reader, errFormat error) ([]string, error) {
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: reading header: %v", errFormat, err)
	}
	return header, nil
}

// Each reads the records left in r (whose header has been read, and whose
// FieldsPerRecord is -1). Blank lines are skipped. A malformed record, or
// one with other than width fields, is rejected with its line and why;
// every other record goes to row with its 1-based line, and is rejected
// when row gives a reason. Only a read error that is not a CSV syntax
// error stops it, and is returned.
func Each(r *csv.Reader, width int, row func(line int, rec []string) (reason string)) ([]reject.Reject, error) {
	var rejects []reject.Reject
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rejects, nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			rejects = append(rejects, reject.Reject{Record: perr.StartLine, Reason: "malformed CSV: " + perr.Err.Error()})
			continue
		} else if err != nil {
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		var reason string
		if len(rec) != width {
			reason = fmt.Sprintf("row has %d fields, header has %d", len(rec), width)
		} else {
			reason = row(line, rec)
		}
		if reason != "" {
			rejects = append(rejects, reject.Reject{Record: line, Reason: reason})
		}
	}
}

// Columns names the columns a reader looks for, each with the field that
// receives its index in a row.
type Columns map[string]*int

// Locate sets every field to the index of the first header cell whose
// name, the cell trimmed and passed through name, is the field's key, or
// to -1 when no cell is. It fails, wrapping errFormat, when a required
// column is missing.
func (c Columns) Locate(header []string, name func(string) string, errFormat error, required ...string) error {
	for _, p := range c {
		*p = -1
	}
	for i, h := range header {
		if p, ok := c[name(strings.TrimSpace(h))]; ok && *p < 0 {
			*p = i
		}
	}
	for _, req := range required {
		if *c[req] < 0 {
			return fmt.Errorf("%w: no %s column", errFormat, req)
		}
	}
	return nil
}

// Field is the trimmed value of column i of rec, "" when the column is
// absent (i < 0).
func Field(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// LatLon reads the values of a row's latitude and longitude columns as
// decimal degrees; the reason names the column and the value that is not
// one.
func LatLon(lat, lon string) (float64, float64, string) {
	la, reason := coordinate("latitude", lat, 90)
	if reason != "" {
		return 0, 0, reason
	}
	lo, reason := coordinate("longitude", lon, 180)
	return la, lo, reason
}

// coordinate reads column col's value s as decimal degrees within ±limit.
func coordinate(col, s string, limit float64) (float64, string) {
	v, ok := decimal.Parse(s)
	if !ok || v < -limit || v > limit {
		return 0, fmt.Sprintf("%s %q: want decimal degrees in [%g, %g]", col, s, -limit, limit)
	}
	return v, ""
}

// Optional reads column col's value s as a number, nil when s is empty.
func Optional(col, s string) (*float64, string) {
	if s == "" {
		return nil, ""
	}
	v, ok := decimal.Parse(s)
	if !ok {
		return nil, fmt.Sprintf("%s %q: not a number", col, s)
	}
	return &v, ""
}
