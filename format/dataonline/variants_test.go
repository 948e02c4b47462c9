package dataonline

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// The tests in this file rewrite the two real Data Online workbooks in the
// ways other writers and other exports store the same table, and check
// that the same days come out. The grid is the one readXLSX reads from the
// sample, so every value is a real observation; only its storage changes.

// layout says how to write a grid back as a workbook.
type layout struct {
	inline       bool   // strings as inline strings, no shared strings part
	rich         bool   // shared strings split into rich-text runs
	numbersText  bool   // numbers stored as text (shared strings)
	explicitN    bool   // numbers with t="n" written out
	noRefs       bool   // no r attribute on rows or cells
	serial       string // "1900" or "1904": Tanggal as a date serial
	dateText     func(time.Time) string
	sheetPath    string // default xl/worksheets/sheet1.xml
	bookPath     string // default xl/workbook.xml, found through _rels/.rels
	chartFirst   bool   // a chart sheet listed before the worksheet
	keep         []string
	reverse      bool // parameter columns in reverse order
	labelColon   bool // station block as "ID WMO : 96733" in one cell
	hemispheres  bool // Lintang "6.26151 LS" instead of a sign
	csvSeparator rune // write CSV instead of xlsx
	decimalComma bool // CSV numbers with a decimal comma
}

func sampleGrid(t *testing.T, name string) []record {
	t.Helper()
	s, err := readXLSX(fixture.Read(t, name), defaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return s.records
}

// reshape applies the column changes of l to a grid: a subset of the
// parameters, compacted to the left as an export of fewer parameters is,
// or their order reversed; the station block is left as it is.
func reshape(recs []record, l layout) []record {
	h := findHeader(recs)
	header := recs[h]
	var cols []int // the source column of each written column
	var params []int
	for i, c := range header.cells {
		name, _ := headerName(c.text)
		switch {
		case strings.EqualFold(name, "Tanggal"):
			cols = append(cols, i)
		case l.keep == nil || slices.Contains(l.keep, name):
			params = append(params, i)
		}
	}
	if l.reverse {
		slices.Reverse(params)
	}
	cols = append(cols, params...)
	out := make([]record, len(recs))
	legend := false
	for i, rec := range recs {
		out[i] = record{row: rec.row, cells: slices.Clone(rec.cells)}
		legend = legend || (i > h && legendStart(rec))
		if i < h || legend {
			continue
		}
		out[i].cells = make([]cell, len(cols))
		for j, src := range cols {
			out[i].cells[j] = rec.get(src)
		}
	}
	return out
}

// dataDate reads a Tanggal text of the sample.
func dataDate(s string) (time.Time, bool) {
	t, err := time.Parse("02-01-2006", strings.TrimSpace(s))
	return t, err == nil
}

// cellXML writes one cell. sst collects the shared strings.
func cellXML(l layout, ref string, c cell, sst *[]string) string {
	r := ""
	if !l.noRefs {
		r = fmt.Sprintf(` r="%s"`, ref)
	}
	if d, ok := dataDate(c.text); ok && !c.num && l.serial != "" {
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		if l.serial == "1904" {
			base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		return fmt.Sprintf(`<c%s s="1"><v>%d</v></c>`, r, int(d.Sub(base).Hours()/24))
	}
	if d, ok := dataDate(c.text); ok && !c.num && l.dateText != nil {
		c.text = l.dateText(d)
	}
	if c.num && !l.numbersText {
		if l.explicitN {
			return fmt.Sprintf(`<c%s t="n"><v>%s</v></c>`, r, c.text)
		}
		return fmt.Sprintf(`<c%s><v>%s</v></c>`, r, c.text)
	}
	text := html.EscapeString(c.text)
	if l.inline {
		return fmt.Sprintf(`<c%s t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>`, r, text)
	}
	si := `<si><t xml:space="preserve">` + text + `</t></si>`
	if n := len(c.text) / 2; l.rich && n > 0 {
		si = fmt.Sprintf(`<si><r><rPr><b/></rPr><t xml:space="preserve">%s</t></r><r><t xml:space="preserve">%s</t></r><rPh sb="0" eb="1"><t>ヨミ</t></rPh></si>`,
			html.EscapeString(c.text[:n]), html.EscapeString(c.text[n:]))
	}
	*sst = append(*sst, si)
	return fmt.Sprintf(`<c%s t="s"><v>%d</v></c>`, r, len(*sst)-1)
}

func stationText(l layout, c cell) cell {
	if l.hemispheres {
		if v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(c.text, ":")), 64); err == nil && v < 0 {
			c.text = fmt.Sprintf(":  %s LS", strconv.FormatFloat(-v, 'f', -1, 64))
		}
	}
	return c
}

// writeXLSX writes a grid as a workbook laid out as l says.
func writeXLSX(t *testing.T, recs []record, l layout) []byte {
	var sst []string
	var rows strings.Builder
	last := 0
	for _, rec := range recs {
		for l.noRefs && last+1 < rec.row { // keep row numbers without r
			rows.WriteString("<row/>")
			last++
		}
		cells := rec.cells
		if _, _, ok := labelled(rec); ok {
			cells = slices.Clone(cells)
			for i := range cells {
				cells[i] = stationText(l, cells[i])
			}
			if l.labelColon && len(cells) >= 3 {
				cells = []cell{{}, {text: cells[1].text + " " + cells[2].text}}
			}
		}
		if l.noRefs {
			rows.WriteString("<row>")
		} else {
			fmt.Fprintf(&rows, `<row r="%d">`, rec.row)
		}
		for i, c := range cells {
			if c.text == "" {
				if l.noRefs {
					rows.WriteString("<c/>")
				}
				continue
			}
			rows.WriteString(cellXML(l, fmt.Sprintf("%s%d", colName(i+1), rec.row), c, &sst))
		}
		rows.WriteString("</row>")
		last = rec.row
	}
	sheetPath := cmpOr(l.sheetPath, "xl/worksheets/sheet1.xml")
	bookPath := cmpOr(l.bookPath, "xl/workbook.xml")
	bookDir := bookPath[:strings.LastIndex(bookPath, "/")+1]
	pr := ""
	if l.serial == "1904" {
		pr = ` date1904="1"`
	}
	sheets := `<sheet name="Data Harian - Table" sheetId="1" r:id="rIdData"/>`
	target := "/" + sheetPath // absolute, or relative to the workbook's folder
	if strings.HasPrefix(sheetPath, bookDir) {
		target = strings.TrimPrefix(sheetPath, bookDir)
	}
	rels := `<Relationship Id="rIdData" Type="` + relNS + `worksheet" Target="` + target + `"/>` +
		`<Relationship Id="rIdStyles" Type="` + relNS + `styles" Target="styles.xml"/>`
	if l.chartFirst {
		sheets = `<sheet name="Grafik" sheetId="2" r:id="rIdChart"/>` + sheets
		rels += `<Relationship Id="rIdChart" Type="` + relNS + `chartsheet" Target="chartsheets/sheet1.xml"/>`
	}
	parts := []entry{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `officeDocument" Target="` + bookPath + `"/></Relationships>`},
		{bookPath, `<?xml version="1.0"?><workbook ` + nsAttrs + `><workbookPr` + pr + `/><sheets>` + sheets + `</sheets></workbook>`},
		{bookDir + "styles.xml", `<styleSheet ` + nsAttrs + `><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`},
		{sheetPath, `<worksheet ` + nsAttrs + `><sheetData>` + rows.String() + `</sheetData></worksheet>`},
	}
	if len(sst) > 0 {
		rels += `<Relationship Id="rIdStrings" Type="` + relNS + `sharedStrings" Target="strings.xml"/>`
		parts = append(parts, entry{bookDir + "strings.xml", `<sst ` + nsAttrs + `>` + strings.Join(sst, "") + `</sst>`})
	}
	dir, base := bookPath[:len(bookDir)], bookPath[len(bookDir):]
	parts = append(parts, entry{dir + "_rels/" + base + ".rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`})
	return zipOf(t, parts...)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writeCSV writes a grid as CSV, one line per sheet row, so that line
// numbers are row numbers. Data rows are padded to the header's width, as
// a spreadsheet saves them.
func writeCSV(recs []record, l layout) []byte {
	h := findHeader(recs)
	width := len(recs[h].cells)
	var b strings.Builder
	line := 1
	legend := false
	for i, rec := range recs {
		for ; line < rec.row; line++ {
			b.WriteString("\r\n")
		}
		legend = legend || legendStart(rec)
		n := len(rec.cells)
		if i > h && !legend {
			n = width
		}
		fields := make([]string, n)
		for j := range fields {
			c := rec.get(j)
			if i < h {
				c = stationText(l, c)
			}
			if d, ok := dataDate(c.text); ok && l.dateText != nil {
				c.text = l.dateText(d)
			}
			f := strings.TrimSpace(c.text)
			if c.num && l.decimalComma {
				f = strings.Replace(f, ".", ",", 1)
			}
			if strings.ContainsAny(f, string(l.csvSeparator)+"\"") {
				f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
			}
			fields[j] = f
		}
		b.WriteString(strings.Join(fields, string(l.csvSeparator)) + "\r\n")
		line++
	}
	return []byte(b.String())
}

// project writes the days of f as lines holding only the named
// parameters, for comparing a subset export with the full one.
func project(f *File, keep []string) []string {
	var out []string
	for _, d := range f.Days {
		d.Present = slices.DeleteFunc(slices.Clone(d.Present), func(p string) bool {
			return keep != nil && !slices.Contains(keep, p)
		})
		out = append(out, dayLine(d))
	}
	return out
}

func TestLayoutVariants(t *testing.T) {
	mdy := func(d time.Time) string { return d.Format("1/2/2006") }
	dmySlash := func(d time.Time) string { return d.Format("02/01/2006") }
	iso := func(d time.Time) string { return d.Format("2006-01-02") }
	unpadded := func(d time.Time) string { return d.Format("2-1-2006") }
	variants := map[string]layout{
		"inline strings":           {inline: true},
		"rich-text shared strings": {rich: true},
		"numbers stored as text":   {numbersText: true},
		"explicit t=n":             {explicitN: true},
		"no row or cell refs":      {noRefs: true, inline: true},
		"1900 serial dates":        {serial: "1900"},
		"1904 serial dates":        {serial: "1904", rich: true},
		"ISO text dates":           {dateText: iso},
		"dd/mm/yyyy text dates":    {dateText: dmySlash},
		"unpadded d-m-yyyy":        {dateText: unpadded},
		"sheet not sheet1.xml":     {sheetPath: "xl/worksheets/data harian.xml"},
		"workbook elsewhere":       {bookPath: "book/main.xml", sheetPath: "book/sheets/s.xml"},
		"sheet outside its folder": {bookPath: "book/main.xml", sheetPath: "data/s.xml", noRefs: true},
		"chart sheet first":        {chartFirst: true},
		"columns reversed":         {reverse: true},
		"label and value in one":   {labelColon: true},
		"hemisphere letters":       {hemispheres: true},
		"subset Tx RR ddd_car":     {keep: []string{"Tx", "RR", "ddd_car"}},
		"subset reversed inline":   {keep: []string{"Tn", "RH_avg", "ff_x", "ddd_x"}, reverse: true, inline: true},
		"CSV comma":                {csvSeparator: ','},
		"CSV semicolon, decimal ,": {csvSeparator: ';', decimalComma: true},
		"CSV m/d/yyyy":             {csvSeparator: ',', dateText: mdy},
		"CSV subset reversed":      {csvSeparator: ';', keep: []string{"ss", "ff_avg"}, reverse: true, hemispheres: true},
	}
	for _, name := range []string{banten, paotere} {
		want := mustParse(t, fixture.Read(t, name))
		for vname, l := range variants {
			t.Run(name[:22]+"/"+vname, func(t *testing.T) {
				if name == paotere && l.keep != nil && !slices.Contains(l.keep, "RR") {
					return // the export has RR only: nothing would be left of it
				}
				grid := reshape(sampleGrid(t, name), l)
				var data []byte
				if l.csvSeparator != 0 {
					data = writeCSV(grid, l)
				} else {
					data = writeXLSX(t, grid, l)
				}
				if !Detect(data) {
					t.Error("Detect = false")
				}
				got := mustParse(t, data)
				if len(got.Rejects) != 0 || !stationEqual(got.Station, want.Station) {
					t.Errorf("rejects %+v station %+v", got.Rejects, got.Station)
				}
				keep := l.keep
				if g, w := project(got, keep), project(want, keep); !slices.Equal(g, w) {
					t.Errorf("days differ:\n got %q\nwant %q", g[:min(3, len(g))], w[:min(3, len(w))])
				}
			})
		}
	}
}

func stationEqual(a, b Station) bool {
	eq := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.WMO == b.WMO && a.Name == b.Name && eq(a.Latitude, b.Latitude) && eq(a.Longitude, b.Longitude) && eq(a.ElevationM, b.ElevationM)
}

// TestCellForms covers the cell contents other exports use for the same
// meaning: ISO dates in t="d" cells, dashes for no value, lower-case
// compass points, a "Tanggal" line above the header, a legend line for "-".
func TestCellForms(t *testing.T) {
	rows := `<row r="1"><c r="A1" t="inlineStr"><is><t>Tanggal</t></is></c><c r="B1" t="inlineStr"><is><t>: 01-09-2023 s/d 02-09-2023</t></is></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>Tanggal</t></is></c><c r="C3" t="inlineStr"><is><t>RR</t></is></c>` +
		`<c r="D3" t="inlineStr"><is><t>ddd_car</t></is></c></row>` +
		`<row r="4"><c r="A4" t="d"><v>2023-09-01T00:00:00</v></c><c r="C4" t="inlineStr"><is><t>-</t></is></c><c r="D4" t="inlineStr"><is><t>ne</t></is></c></row>` +
		`<row r="5"><c r="A5" t="d"><v>2023-09-02</v></c><c r="C5" t="inlineStr"><is><t>---</t></is></c><c r="D5" t="inlineStr"><is><t>-</t></is></c></row>` +
		`<row r="6"><c r="A6" t="d"><v>2023-09-31</v></c><c r="C6"><v>1</v></c></row>` +
		`<row r="7"><c r="A7" t="inlineStr"><is><t>-: tidak ada data</t></is></c></row>`
	f := mustParse(t, makeXLSX(t, "", rows))
	var got []string
	for _, d := range f.Days {
		got = append(got, dayLine(d))
	}
	want := []string{"2023-09-01 row 4 | RR MISSING | ddd_car NE", "2023-09-02 row 5 | RR MISSING | ddd_car MISSING"}
	if !slices.Equal(got, want) {
		t.Errorf("days %q", got)
	}
	checkRejects(t, f.Rejects, map[int]string{6: `Tanggal "2023-09-31" is not a date`})
	for s, want := range map[string]float64{"27,5": 27.5, "-6,26151": -6.26151, "8888": 8888} {
		if v, ok := number(s); !ok || v != want {
			t.Errorf("number(%q) = %v, %v", s, v, ok)
		}
	}
	for _, s := range []string{"1,2,3", "1.5,2", "1,5e3", ","} {
		if _, ok := number(s); ok {
			t.Errorf("number(%q) accepted", s)
		}
	}
}
