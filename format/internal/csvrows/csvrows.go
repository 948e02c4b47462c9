// Package csvrows reads the data rows of a CSV file after its header, as
// the station-list and air-quality readers need them: every row with its
// line, and every row that cannot be used with its line and reason, so a
// bad row is reported and the rest of the file still loads.
package csvrows

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Each reads the records left in r (whose header has been read, and whose
// FieldsPerRecord is -1). Blank lines are skipped. A malformed record, or
// one with other than width fields, goes to reject with its line and why;
// every other record goes to row with its 1-based line. Only a read error
// that is not a CSV syntax error stops it, and is returned.
func Each(r *csv.Reader, width int, row func(line int, rec []string), reject func(line int, reason string)) error {
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			reject(perr.StartLine, "malformed CSV: "+perr.Err.Error())
			continue
		} else if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != width {
			reject(line, fmt.Sprintf("row has %d fields, header has %d", len(rec), width))
			continue
		}
		row(line, rec)
	}
}
