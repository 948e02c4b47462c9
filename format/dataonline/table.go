package dataonline

//lint:file-ignore ST1005 error messages begin with the field names of the source format, capitalised as the files spell them (Tanggal, Jam, Magnitude, Kedalaman)

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/reject"
)

// columns maps the header onto the sheet: the Tanggal column and, for each
// of params, its column or -1.
type columns struct {
	width   int // cells in the header row
	date    int
	param   [len(params)]int
	present []string
}

// build turns the grid into days. today bounds the dates accepted.
func build(s *sheet, today time.Time) (*File, error) {
	h := findHeader(s.records)
	if h < 0 {
		return nil, fmt.Errorf("dataonline: no header row with a Tanggal column")
	}
	cols, err := readHeader(s.records[h])
	if err != nil {
		return nil, err
	}
	f := &File{Format: s.format, Days: []Day{}, Rejects: []reject.Reject{}}
	f.Station = readStation(s.records[:h], &f.Rejects)
	body := s.records[h+1:]
	for i, rec := range body {
		if legendStart(rec) {
			body = body[:i]
			break
		}
	}
	b := dayBuilder{file: f, cols: cols, date1904: s.date1904, fixedWidth: s.fixedWidth, latest: today.AddDate(0, 0, 1), seen: map[time.Time]int{}}
	b.mdy = slashMonthFirst(dateTexts(body, cols.date))
	for _, rec := range body {
		b.add(rec)
	}
	return f, nil
}

func dateTexts(recs []record, col int) []string {
	texts := make([]string, 0, len(recs))
	for _, rec := range recs {
		if c := rec.get(col); !c.num {
			texts = append(texts, c.text)
		}
	}
	return texts
}

// headerName splits a header cell such as "Tavg (°C)" into the column name
// and its unit.
func headerName(text string) (name, unit string) {
	name = strings.TrimSpace(text)
	if i := strings.IndexAny(name, "(["); i >= 0 {
		unit = strings.TrimSpace(strings.TrimRight(name[i+1:], ")] "))
		name = strings.TrimSpace(name[:i])
	}
	return name, unit
}

// findHeader returns the first row with a Tanggal cell and a parameter
// name, so that a "Tanggal" line in the block above (a print date, a
// period) is not taken for the header; failing that, the first row with a
// Tanggal cell, whose error then says what is missing.
func findHeader(recs []record) int {
	first := -1
	for i, rec := range recs {
		date, param := false, false
		for _, c := range rec.cells {
			name, _ := headerName(c.text)
			date = date || strings.EqualFold(name, "Tanggal")
			param = param || paramIndex(name) >= 0
		}
		if date && param {
			return i
		}
		if date && first < 0 {
			first = i
		}
	}
	return first
}

// paramIndex returns the index in params of a header name, or -1.
func paramIndex(name string) int {
	for i := range params {
		if strings.EqualFold(name, params[i].name) {
			return i
		}
	}
	return -1
}

// readHeader finds the columns. Unknown columns (a pandas index, notes)
// are ignored; a known one with an unexpected unit is an error, because
// reading °F or km/h as BMKG's units would load wrong numbers silently.
func readHeader(rec record) (columns, error) {
	cols := columns{date: -1, width: len(rec.cells)}
	for i := range cols.param {
		cols.param[i] = -1
	}
	for col, c := range rec.cells {
		if err := cols.assign(col, c.text); err != nil {
			return cols, err
		}
	}
	for i, p := range params {
		if cols.param[i] >= 0 {
			cols.present = append(cols.present, p.name)
		}
	}
	if cols.present == nil {
		return cols, errors.New("dataonline: the header names no parameter (Tn, Tx, Tavg, RH_avg, RR, ss, ff_x, ddd_x, ff_avg, ddd_car)")
	}
	return cols, nil
}

func (cols *columns) assign(col int, text string) error {
	name, unit := headerName(text)
	if strings.EqualFold(name, "Tanggal") {
		if cols.date >= 0 {
			return errors.New("dataonline: two Tanggal columns")
		}
		cols.date = col
		return nil
	}
	for i := range params {
		p := &params[i]
		if !strings.EqualFold(name, p.name) {
			continue
		}
		if unit != "" && !p.acceptsUnit(unit) {
			return fmt.Errorf("dataonline: column %q: unit %s, expected %s", strings.TrimSpace(text), unit, p.unit)
		}
		if cols.param[i] >= 0 {
			return fmt.Errorf("dataonline: two %s columns", p.name)
		}
		cols.param[i] = col
	}
	return nil
}

func (p *param) acceptsUnit(unit string) bool {
	unit = strings.ToLower(unit)
	for _, u := range p.units {
		if unit == u {
			return true
		}
	}
	return false
}

// legendStart reports whether rec opens the legend below the data
// ("Keterangan :"), after which nothing is data.
func legendStart(rec record) bool {
	return strings.HasPrefix(strings.ToLower(firstText(rec)), "keterangan")
}

// legendLine reports whether rec is a line of the legend that has lost its
// "Keterangan" heading: one cell of the form "8888: ..." or "RR: ...".
func legendLine(rec record) bool {
	key, _, ok := strings.Cut(firstText(rec), ":")
	if !ok || nonEmpty(rec) != 1 {
		return false
	}
	key = strings.TrimSpace(key)
	if key == "8888" || key == "9999" || key == "-" {
		return true
	}
	for _, p := range params {
		if strings.EqualFold(key, p.name) {
			return true
		}
	}
	return false
}

func firstText(rec record) string {
	for _, c := range rec.cells {
		if t := strings.TrimSpace(c.text); t != "" {
			return t
		}
	}
	return ""
}

func nonEmpty(rec record) int {
	n := 0
	for _, c := range rec.cells {
		if strings.TrimSpace(c.text) != "" {
			n++
		}
	}
	return n
}

// dayBuilder checks rows and collects days and rejects.
type dayBuilder struct {
	file       *File
	cols       columns
	date1904   bool
	mdy        bool // slash dates are m/d/yyyy
	fixedWidth bool
	latest     time.Time
	seen       map[time.Time]int // date → row that gave it
}

func (b *dayBuilder) add(rec record) {
	if rec.bad == "" && (nonEmpty(rec) == 0 || legendLine(rec)) {
		return
	}
	day, reasons := b.read(rec)
	if len(reasons) > 0 {
		b.file.Rejects = append(b.file.Rejects, reject.Reject{Record: rec.row, Reason: strings.Join(reasons, "; ")})
		return
	}
	b.seen[day.Date] = rec.row
	b.file.Days = append(b.file.Days, day)
}

// read checks one row. Every problem is reported, so that a row needs
// fixing once, not once per problem.
func (b *dayBuilder) read(rec record) (Day, []string) {
	if rec.bad != "" {
		return Day{}, []string{rec.bad}
	}
	if b.fixedWidth && len(rec.cells) != b.cols.width {
		return Day{}, []string{fmt.Sprintf("%d fields, the header has %d", len(rec.cells), b.cols.width)}
	}
	day := Day{Row: rec.row, Present: b.cols.present}
	var reasons []string
	if err := b.readDate(&day, rec.get(b.cols.date)); err != nil {
		reasons = append(reasons, err.Error())
	}
	for i := range compass {
		v := day.value(i)
		*v = Value{Flag: FlagMissing}
		if col := b.cols.param[i]; col >= 0 {
			var why string
			if *v, why = parseValue(&params[i], rec.get(col)); why != "" {
				reasons = append(reasons, why)
			}
		}
	}
	day.DDDCarFlag = FlagMissing
	if col := b.cols.param[compass]; col >= 0 {
		var why string
		if day.DDDCar, day.DDDCarFlag, why = parseCompass(rec.get(col)); why != "" {
			reasons = append(reasons, why)
		}
	}
	if day.Tn.V != nil && day.Tx.V != nil && *day.Tx.V < *day.Tn.V {
		reasons = append(reasons, fmt.Sprintf("Tx %g is below Tn %g", *day.Tx.V, *day.Tn.V))
	}
	return day, reasons
}

// earliest is older than any station record, so an earlier date is a typo.
var earliest = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)

func (b *dayBuilder) readDate(day *Day, c cell) error {
	if strings.TrimSpace(c.text) == "" {
		return errors.New("Tanggal is empty")
	}
	t, err := parseDate(c, b.date1904, b.mdy)
	switch {
	case err != nil:
		return err
	case t.After(b.latest):
		return fmt.Errorf("Tanggal %s is in the future", t.Format("2006-01-02"))
	case t.Before(earliest):
		return fmt.Errorf("Tanggal %s is before 1800", t.Format("2006-01-02"))
	case b.seen[t] != 0:
		return fmt.Errorf("Tanggal %s is a duplicate of row %d", t.Format("2006-01-02"), b.seen[t])
	}
	day.Date = t
	return nil
}
