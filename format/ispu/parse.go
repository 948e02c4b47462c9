package ispu

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/csvrows"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/reject"
)

// MaxInputSize is the largest input Parse accepts. Twelve years of one
// station are about 250 kB.
const MaxInputSize = 32 << 20

// ErrFormat is returned when the input is not a DKI ISPU CSV.
var ErrFormat = errors.New("ispu: not a DKI Jakarta ISPU CSV")

// Day is one station's ISPU for one calendar day, as the file gives it.
type Day struct {
	Date        time.Time `json:"date"`        // 00:00 UTC of the calendar date
	Station     string    `json:"station"`     // "DKI1"
	StationName string    `json:"stationName"` // "Bunderan HI", as written; "" when the cell has no "(…)"
	// SubIndex maps each pollutant column ("pm10", "so2", …, as in the
	// header) to its sub-index; nil = missing.
	SubIndex map[string]*int `json:"subIndex"`
	Max      *int            `json:"max"`      // the file's ISPU; nil when empty
	Critical string          `json:"critical"` // "PM10", "PM25", …; PM2.5 is written PM25; "" when empty
	Category string          `json:"category"` // "BAIK" … "BERBAHAYA"; "" only when Max is nil
	Row      int             `json:"row"`      // 1-based line number in the file
	Notes    []string        `json:"notes,omitempty"`
}

// pollutantColumns are the sub-index columns this package knows.
var pollutantColumns = []string{"pm10", "pm25", "so2", "co", "o3", "no2", "hc"}

// now is replaced in tests.
var now = time.Now

// Detect reports whether data, or its first bytes, starts with a DKI ISPU
// header: a date (tanggal, or its parts), a station, max, critical and
// category column and at least one pollutant, under any of the names the
// yearly files use.
func Detect(data []byte) bool {
	line := sniff.FirstLine(data)
	r := csv.NewReader(bytes.NewReader(line))
	r.Comma = delimiter(line)
	header, err := r.Read()
	if err != nil {
		return false
	}
	_, err = locate(header)
	return err == nil
}

// delimiter is ';' for a header that uses it instead of ',', as a
// spreadsheet in an Indonesian locale saves CSV.
func delimiter(header []byte) rune {
	if !bytes.Contains(header, []byte(",")) && bytes.Contains(header, []byte(";")) {
		return ';'
	}
	return ','
}

// row is one CSV record and the line it starts on.
type row struct {
	line   int
	fields []string
}

// Parse reads a DKI ISPU CSV. Rows that break the rules in the package
// comment are rejected, each with its 1-based line, and the rest still
// loads; the error is non-nil only when data is not this format or is too
// large, and then no days or rejects come with it.
func Parse(data []byte) ([]Day, []reject.Reject, error) {
	if err := budget.CheckSize("ispu", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	header := sniff.FirstLine(data)
	r := csvrows.NewReader(data)
	r.Comma = delimiter(header)
	head, err := csvrows.Header(r, ErrFormat)
	if err != nil {
		return nil, nil, err
	}
	cols, err := locate(head)
	if err != nil {
		return nil, nil, err
	}
	var rows []row
	rejects, err := csvrows.Each(r, len(head), func(line int, rec []string) string {
		rows = append(rows, row{line, rec})
		return ""
	})
	if err != nil {
		return nil, nil, err
	}
	cols.dayFirst = slashDayFirst(rows, cols.date)
	days, more := cols.days(rows, jakartaToday())
	rejects = append(rejects, more...)
	slices.SortStableFunc(rejects, func(a, b reject.Reject) int { return a.Record - b.Record })
	slices.SortStableFunc(days, func(a, b Day) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Station, b.Station)
	})
	return days, rejects, nil
}

// days converts the rows, keeping the first row of a station and date.
func (c columns) days(rows []row, today time.Time) ([]Day, []reject.Reject) {
	seen := map[key]bool{}
	var days []Day
	var rejects []reject.Reject
	for _, r := range rows {
		d, reason := c.day(r.fields, today)
		if reason == "" {
			if k := (key{d.Station, d.Date}); seen[k] {
				reason = fmt.Sprintf("duplicate: %s already has a row for %s", d.Station, d.Date.Format(time.DateOnly))
			} else {
				seen[k] = true
			}
		}
		if reason != "" {
			rejects = append(rejects, reject.Reject{Record: r.line, Reason: reason})
			continue
		}
		d.Row = r.line
		days = append(days, d)
	}
	return days, rejects
}

type key struct {
	station string
	date    time.Time
}

// jakartaToday is the current calendar date in Jakarta (UTC+7, no DST), as
// 00:00 UTC: the latest date a daily file can hold.
func jakartaToday() time.Time {
	t := now().UTC().Add(7 * time.Hour)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
