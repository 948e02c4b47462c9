package dataonline

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"github.com/bmkg/mkggraph/format/budget"
)

// cell is one spreadsheet or CSV cell. num is set for xlsx cells stored as
// numbers, which in the Tanggal column makes the value a date serial.
type cell struct {
	text string
	num  bool
}

// record is one row that holds at least one value. cells[0] is column A
// (or the first CSV field). bad, when set, says why a CSV line could not be
// split into fields.
type record struct {
	row   int
	cells []cell
	bad   string
}

func (r record) get(col int) cell {
	if col < 0 || col >= len(r.cells) {
		return cell{}
	}
	return r.cells[col]
}

// sheet is the grid the table reader works on, whichever format it came
// from. fixedWidth says that every row should have as many cells as the
// header: true of CSV, where a short line means a broken one, and not of
// xlsx, which leaves out empty cells.
type sheet struct {
	records    []record
	date1904   bool
	format     string
	fixedWidth bool
}

// The SpreadsheetML namespaces: transitional, as Excel writes, and strict.
const (
	mainNS   = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	strictNS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
)

// Excel's own bounds on a worksheet.
const (
	excelMaxRow = 1 << 20
	excelMaxCol = 1 << 14
)

// sheetReader streams a worksheet part into records.
type sheetReader struct {
	d     *xml.Decoder
	sst   []string
	lim   limits
	out   sheet
	cells int // cell slots allocated so far
	row   int // current row number
	col   int // column of the last cell read in the row
	// budget is charged for the records and cell slots: a value far to
	// the right costs a slot for every column before it.
	budget *budget.Budget
}

func (wb *workbook) readSheet(name string, sst []string) (*sheet, error) {
	r := &sheetReader{sst: sst, lim: wb.lim, out: sheet{format: "xlsx"}, budget: wb.budget}
	err := wb.walk(name, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Space != mainNS && se.Name.Space != strictNS {
			return nil // extensions may reuse the names row and c
		}
		r.d = d
		switch se.Name.Local {
		case "row":
			return r.startRow(se)
		case "c":
			return r.readCell(se)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &r.out, nil
}

// startRow checks the row number: rows must come in increasing order, as
// Excel writes them, so that a row cannot be given twice.
func (r *sheetReader) startRow(se xml.StartElement) error {
	n := r.row + 1
	if s := attr(se, "r"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			return fmt.Errorf("xlsx: row number %q", s)
		}
	}
	if n <= r.row || n > excelMaxRow {
		return fmt.Errorf("xlsx: row %d after row %d", n, r.row)
	}
	r.row, r.col = n, 0
	return nil
}

func (r *sheetReader) readCell(se xml.StartElement) error {
	if r.row == 0 {
		return fmt.Errorf("xlsx: cell outside a row")
	}
	col, err := r.cellColumn(attr(se, "r"))
	if err != nil {
		return err
	}
	v, inline, err := cellContent(r.d)
	if err != nil {
		return fmt.Errorf("xlsx: cell %s%d: %v", colName(col), r.row, err)
	}
	if v == "" && inline == "" {
		return nil // styled but empty
	}
	c, err := r.typed(attr(se, "t"), v, inline)
	if err != nil {
		return fmt.Errorf("xlsx: cell %s%d: %v", colName(col), r.row, err)
	}
	if c.text == "" {
		return nil
	}
	return r.store(col, c)
}

// cellColumn returns the column of a cell: its reference's, or the next
// one when the reference is left out.
func (r *sheetReader) cellColumn(ref string) (int, error) {
	col, row := r.col+1, r.row
	if ref != "" {
		var err error
		if col, row, err = parseRef(ref); err != nil {
			return 0, err
		}
	}
	if row != r.row || col <= r.col {
		return 0, fmt.Errorf("xlsx: cell %s out of place in row %d", ref, r.row)
	}
	r.col = col
	return col, nil
}

// parseRef splits an A1-style reference such as AB12 into column 28 and
// row 12.
func parseRef(ref string) (col, row int, err error) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' && col <= excelMaxCol {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	digits := ref[i:]
	if i == 0 || col > excelMaxCol || digits == "" || len(digits) > 7 || strings.Trim(digits, "0123456789") != "" {
		return 0, 0, fmt.Errorf("xlsx: bad cell reference %q", ref)
	}
	row, _ = strconv.Atoi(digits)
	if row < 1 || row > excelMaxRow {
		return 0, 0, fmt.Errorf("xlsx: bad cell reference %q", ref)
	}
	return col, row, nil
}

func colName(col int) string {
	var b []byte
	for ; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// cellContent reads a cell's children: the <v> value, or the text of an
// <is> inline string. Formulas (<f>) are skipped: the cached value is what
// the export shows.
func cellContent(d *xml.Decoder) (v, inline string, err error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return "", "", err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return v, inline, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				err = d.DecodeElement(&v, &t)
			case "is":
				inline, err = richText(d)
			default:
				err = d.Skip()
			}
			if err != nil {
				return "", "", err
			}
		}
	}
}

// typed interprets a cell's value by its type attribute.
func (r *sheetReader) typed(typ, v, inline string) (cell, error) {
	switch typ {
	case "", "n":
		v = strings.TrimSpace(v)
		if v != "" && !isDecimal(v) {
			return cell{}, fmt.Errorf("number cell holds %q", v)
		}
		return cell{text: v, num: true}, nil
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(r.sst) {
			return cell{}, fmt.Errorf("no shared string %q", v)
		}
		return cell{text: r.sst[i]}, nil
	case "str", "e":
		return cell{text: v}, nil
	case "d":
		// An ISO 8601 date, as strict-OOXML writers store dates instead
		// of serials; the text date reader takes it from here.
		return cell{text: strings.TrimSpace(v)}, nil
	case "inlineStr":
		return cell{text: inline}, nil
	case "b":
		switch strings.TrimSpace(v) {
		case "0":
			return cell{text: "FALSE"}, nil
		case "1":
			return cell{text: "TRUE"}, nil
		}
		return cell{}, fmt.Errorf("boolean cell holds %q", v)
	}
	return cell{}, fmt.Errorf("unsupported cell type %q", typ)
}

// store puts a cell into the current row, opening the record if needed.
func (r *sheetReader) store(col int, c cell) error {
	if col > r.lim.cols {
		return fmt.Errorf("xlsx: value in column %s, beyond the %d columns read", colName(col), r.lim.cols)
	}
	recs := &r.out.records
	if n := len(*recs); n == 0 || (*recs)[n-1].row != r.row {
		if n >= r.lim.rows {
			return fmt.Errorf("xlsx: more than %d rows", r.lim.rows)
		}
		if err := r.budget.Reserve(2*int64(unsafe.Sizeof(record{})), "xlsx: rows"); err != nil {
			return err
		}
		*recs = append(*recs, record{row: r.row})
	}
	rec := &(*recs)[len(*recs)-1]
	if grow := col - len(rec.cells); grow > 0 {
		if r.cells += grow; r.cells > r.lim.cells {
			return fmt.Errorf("xlsx: more than %d cells", r.lim.cells)
		}
		if err := r.budget.ReserveN(int64(grow), 2*int64(unsafe.Sizeof(cell{})), "xlsx: cells"); err != nil {
			return err
		}
		rec.cells = append(rec.cells, make([]cell, grow)...)
	}
	rec.cells[col-1] = c
	return nil
}
