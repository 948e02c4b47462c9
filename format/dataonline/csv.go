package dataonline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/bmkg/mkggraph/format/budget"
)

// readCSV splits a CSV file into records, one per line. A line is parsed
// on its own, so a garbled line (a stray quote, a wrong field count) costs
// that line only, and line numbers stay exact. Quoted fields spanning
// lines are not supported: no export of this kind has them.
func readCSV(data []byte, lim limits) (*sheet, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("dataonline: neither an xlsx workbook nor UTF-8 CSV")
	}
	b := budget.New(int64(len(data)), MemoryFactor)
	if err := b.Reserve(int64(len(data)), "dataonline: CSV text"); err != nil {
		return nil, err
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if n := strings.Count(text, "\n"); n >= lim.rows {
		return nil, fmt.Errorf("dataonline: more than %d lines", lim.rows)
	}
	s := &sheet{format: "csv", fixedWidth: true}
	var sp *splitter
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if sp == nil {
			sp = newSplitter(delimiter(line), b)
		}
		rec, err := sp.split(n, line)
		if err != nil {
			return nil, err
		}
		s.records = append(s.records, rec)
	}
	return s, nil
}

// delimiter picks ';' for header lines that use it instead of ',', as
// spreadsheets in an Indonesian locale save CSV.
func delimiter(header string) rune {
	if !strings.Contains(header, ",") && strings.Contains(header, ";") {
		return ';'
	}
	return ','
}

// splitter splits lines into fields with one csv.Reader, fed a line at a
// time, rather than one reader (and its 4 KB buffer) per line. The records
// and their cells are charged to the budget.
type splitter struct {
	src    strings.Reader
	r      *csv.Reader
	budget *budget.Budget
}

func newSplitter(comma rune, b *budget.Budget) *splitter {
	sp := &splitter{budget: b}
	sp.r = csv.NewReader(&sp.src)
	sp.r.Comma = comma
	sp.r.FieldsPerRecord = -1 // each line is checked against the header later
	sp.r.ReuseRecord = true
	return sp
}

func (sp *splitter) split(n int, line string) (record, error) {
	sp.src.Reset(line)
	fields, err := sp.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return record{row: n, bad: fmt.Sprintf("line cannot be split into fields: %v", err)}, nil
	}
	cost := 2*int64(unsafe.Sizeof(record{})) + int64(len(fields))*int64(unsafe.Sizeof(cell{}))
	if err := sp.budget.Reserve(cost, "dataonline: CSV records"); err != nil {
		return record{}, err
	}
	rec := record{row: n, cells: make([]cell, len(fields))}
	for i, f := range fields {
		rec.cells[i] = cell{text: f}
	}
	return rec, nil
}

// sniffCSV reports whether one of the first lines of data is a header with
// a Tanggal column and at least one parameter. Lines above it are allowed,
// as when a whole export with its station block is saved as CSV.
func sniffCSV(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	lines := strings.Split(string(data[:min(len(data), 4096)]), "\n")
	var sp *splitter
	for _, line := range lines[:min(len(lines), 20)] {
		line = strings.TrimSuffix(line, "\r")
		if !utf8.ValidString(line) {
			return false
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if sp == nil {
			sp = newSplitter(delimiter(line), budget.New(int64(len(data)), MemoryFactor))
		}
		if rec, err := sp.split(1, line); err == nil && rec.bad == "" && findHeader([]record{rec}) == 0 {
			_, err := readHeader(rec)
			return err == nil
		}
	}
	return false
}
