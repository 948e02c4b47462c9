package dataonline

import (
	"bytes"
	"errors"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
)

var zipMagic = []byte("PK\x03\x04")

// Detect reports whether data is a Data Online export: a workbook whose
// first sheet has the station block or a Tanggal header, or a CSV whose
// first line is a header with Tanggal and at least one parameter. A
// workbook can only be recognised whole, since a zip's directory is at its
// end; a CSV needs only its first line.
func Detect(data []byte) bool {
	if len(data) > MaxInputSize {
		return false
	}
	if bytes.HasPrefix(data, zipMagic) {
		s, err := readXLSX(data, defaultLimits())
		if errors.Is(err, budget.ErrTooLarge) {
			return true // a workbook too large for its size: Parse says so
		}
		return err == nil && (findHeader(s.records) >= 0 || hasStationBlock(s.records))
	}
	return sniffCSV(data)
}

// Parse reads one export. It fails only for the file as a whole; rows that
// cannot be loaded are rejected, each with its sheet row (xlsx) or line
// (CSV), and the others are returned.
func Parse(data []byte) (*File, error) {
	return parse(data, time.Now().UTC().Truncate(24*time.Hour), defaultLimits())
}

// parse is Parse with the clock and limits given, for tests.
func parse(data []byte, today time.Time, lim limits) (*File, error) {
	if err := budget.CheckSize("dataonline", int64(len(data)), MaxInputSize); err != nil {
		return nil, err
	}
	var s *sheet
	var err error
	if bytes.HasPrefix(data, zipMagic) {
		s, err = readXLSX(data, lim)
	} else {
		s, err = readCSV(data, lim)
	}
	if err != nil {
		return nil, err
	}
	return build(s, today)
}
