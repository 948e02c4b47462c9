package dataonline

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// readCSV splits a CSV file into records, one per line. A line is parsed
// on its own, so a garbled line (a stray quote, a wrong field count) costs
// that line only, and line numbers stay exact. Quoted fields spanning
// lines are not supported: no export of this kind has them.
func readCSV(data []byte, lim limits) (*sheet, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("dataonline: neither an xlsx workbook nor UTF-8 CSV")
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if n := strings.Count(text, "\n"); n >= lim.rows {
		return nil, fmt.Errorf("dataonline: more than %d lines", lim.rows)
	}
	lines := strings.Split(text, "\n")
	s := &sheet{format: "csv", fixedWidth: true}
	var comma rune
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if comma == 0 {
			comma = delimiter(line)
		}
		s.records = append(s.records, splitLine(i+1, line, comma))
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

func splitLine(n int, line string, comma rune) record {
	r := csv.NewReader(strings.NewReader(line))
	r.Comma = comma
	fields, err := r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return record{row: n, bad: fmt.Sprintf("line cannot be split into fields: %v", err)}
	}
	rec := record{row: n, cells: make([]cell, len(fields))}
	for i, f := range fields {
		rec.cells[i] = cell{text: f}
	}
	return rec
}

// sniffCSV reports whether one of the first lines of data is a header with
// a Tanggal column and at least one parameter. Lines above it are allowed,
// as when a whole export with its station block is saved as CSV.
func sniffCSV(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	lines := strings.Split(string(data[:min(len(data), 4096)]), "\n")
	var comma rune
	for _, line := range lines[:min(len(lines), 20)] {
		line = strings.TrimSuffix(line, "\r")
		if !utf8.ValidString(line) {
			return false
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if comma == 0 {
			comma = delimiter(line)
		}
		if rec := splitLine(1, line, comma); rec.bad == "" && findHeader([]record{rec}) == 0 {
			_, err := readHeader(rec)
			return err == nil
		}
	}
	return false
}
