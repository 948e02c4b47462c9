package dataonline

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strings"
	"unsafe"

	"github.com/bmkg/mkggraph/format/budget"
)

// stringHeader is the memory of a Go string besides its bytes.
const stringHeader = int64(unsafe.Sizeof(""))

// limits bounds what the readers will allocate. A real export holds about
// 500 bytes of sheet XML per day and 11 columns, so ten years is some 2 MB;
// the limits leave room for decades of data and nothing like the memory,
// or the seconds of XML decoding, a hostile file could otherwise claim.
type limits struct {
	entries int   // zip entries
	part    int64 // decompressed bytes of one XML part
	strings int   // shared strings
	rows    int   // sheet rows that hold a value, or CSV lines
	cols    int   // highest column that may hold a value
	cells   int   // cell slots over all stored rows
}

func defaultLimits() limits {
	return limits{entries: 1000, part: 16 << 20, strings: 1 << 20, rows: 100_000, cols: 128, cells: 1 << 20}
}

// MemoryFactor sets the memory budget of a workbook (see format/budget):
// reading it may take at most MemoryFactor times its size plus
// budget.Base. What is charged is every XML part read, at the size the
// archive declares for it (archive/zip refuses a part that inflates past
// that), the shared strings and the rows and cells kept; for CSV, its text
// and its records. XML compresses some five to ten times; the real exports
// are charged 2.2 and 3.8 times their size. encoding/xml makes some 10 to
// 20 bytes of garbage per byte it decodes, a token at a time, which is
// never live at once and is not charged.
const MemoryFactor = 32

// workbook is an opened xlsx archive.
type workbook struct {
	files  map[string]*zip.File
	lim    limits
	budget *budget.Budget
}

// readXLSX reads the first worksheet of an xlsx workbook. The parts are
// found as the Open Packaging Conventions say, through relationships
// (_rels/.rels to the workbook, its .rels to the sheets), not by the names
// Excel happens to give them: other writers call the sheet data.xml or put
// the workbook elsewhere.
func readXLSX(data []byte, lim limits) (*sheet, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("xlsx: %v", err)
	}
	wb, err := openWorkbook(zr, lim, budget.New(int64(len(data)), MemoryFactor))
	if err != nil {
		return nil, err
	}
	book, err := wb.findWorkbook()
	if err != nil {
		return nil, err
	}
	relIDs, date1904, err := wb.readWorkbookPart(book)
	if err != nil {
		return nil, err
	}
	sheetPath, sstPath, err := wb.readRels(book, relIDs)
	if err != nil {
		return nil, err
	}
	var sst []string
	if sstPath != "" {
		if sst, err = wb.readSharedStrings(sstPath); err != nil {
			return nil, err
		}
	}
	s, err := wb.readSheet(sheetPath, sst)
	if err != nil {
		return nil, err
	}
	s.date1904 = date1904
	return s, nil
}

func openWorkbook(zr *zip.Reader, lim limits, b *budget.Budget) (*workbook, error) {
	if len(zr.File) > lim.entries {
		return nil, fmt.Errorf("xlsx: %d archive entries, more than %d", len(zr.File), lim.entries)
	}
	wb := &workbook{files: make(map[string]*zip.File, len(zr.File)), lim: lim, budget: b}
	for _, f := range zr.File {
		// Two entries of one name would let the reader and Excel see
		// different sheets.
		if wb.files[f.Name] != nil {
			return nil, fmt.Errorf("xlsx: duplicate archive entry %s", f.Name)
		}
		wb.files[f.Name] = f
	}
	return wb, nil
}

// open returns a decoder over one part. The size the archive claims is
// checked first, against the limit and charged to the budget, so an
// honest large part costs nothing; the decompressed stream is then cut at
// the same limit (and archive/zip at the claimed size), so a lying header
// costs no more.
func (wb *workbook) open(name string) (*xml.Decoder, io.Closer, error) {
	f := wb.files[name]
	if f == nil {
		return nil, nil, fmt.Errorf("xlsx: no %s in the archive", name)
	}
	if f.UncompressedSize64 > math.MaxInt64 {
		return nil, nil, wb.budget.Reserve(-1, "xlsx: "+name)
	}
	if err := wb.budget.Reserve(int64(f.UncompressedSize64), "xlsx: "+name); err != nil {
		return nil, nil, err
	}
	if f.UncompressedSize64 > uint64(wb.lim.part) {
		return nil, nil, fmt.Errorf("xlsx: %s is %d bytes decompressed, more than %d", name, f.UncompressedSize64, wb.lim.part)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("xlsx: %s: %v", name, err)
	}
	return xml.NewDecoder(&boundedReader{r: rc, left: wb.lim.part, limit: wb.lim.part, name: name}), rc, nil
}

// boundedReader fails once more than left bytes come out of r.
type boundedReader struct {
	r           io.Reader
	left, limit int64
	name        string
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return 0, fmt.Errorf("xlsx: %s inflates beyond %d bytes", b.name, b.limit)
	}
	return n, err
}

// walk calls fn for every start element of a part, until fn or the
// decoder fails or the part ends.
func (wb *workbook) walk(name string, fn func(d *xml.Decoder, se xml.StartElement) error) error {
	d, c, err := wb.open(name)
	if err != nil {
		return err
	}
	defer c.Close()
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("xlsx: %s: %v", name, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(d, se); err != nil {
				return err
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// relAttr is the r:id of an element: the "id" attribute in a namespace
// (the relationships one, under whichever prefix the file chose).
func relAttr(se xml.StartElement) string {
	for _, a := range se.Attr {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value
		}
	}
	return ""
}

// defaultWorkbook is where Excel and most writers put the workbook part,
// used when the package has no _rels/.rels.
const defaultWorkbook = "xl/workbook.xml"

// findWorkbook returns the workbook part named by the package's
// officeDocument relationship.
func (wb *workbook) findWorkbook() (string, error) {
	if wb.files["_rels/.rels"] == nil {
		return defaultWorkbook, nil
	}
	book := ""
	err := wb.walk("_rels/.rels", func(_ *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local == "Relationship" && book == "" && attr(se, "TargetMode") != "External" &&
			strings.HasSuffix(attr(se, "Type"), "/officeDocument") {
			book = partName("", attr(se, "Target"))
		}
		return nil
	})
	if err == nil && book == "" {
		book = defaultWorkbook
	}
	return book, err
}

// readWorkbookPart lists the relationship ids of the sheets, in the order
// the workbook shows them, and reads the date system.
func (wb *workbook) readWorkbookPart(book string) (relIDs []string, date1904 bool, err error) {
	err = wb.walk(book, func(_ *xml.Decoder, se xml.StartElement) error {
		switch se.Name.Local {
		case "workbookPr":
			switch v := attr(se, "date1904"); v {
			case "", "0", "false":
			case "1", "true":
				date1904 = true
			default:
				return fmt.Errorf("xlsx: workbook date1904=%q", v)
			}
		case "sheet":
			if len(relIDs) >= wb.lim.entries {
				return fmt.Errorf("xlsx: more than %d sheets", wb.lim.entries)
			}
			relIDs = append(relIDs, relAttr(se))
		}
		return nil
	})
	if err == nil && len(relIDs) == 0 {
		err = errors.New("xlsx: workbook lists no sheet")
	}
	return relIDs, date1904, err
}

// readRels resolves the first sheet that is a worksheet (not a chart
// sheet) to a part name, and finds the shared strings part ("" when the
// workbook has none). The relationships part of xl/workbook.xml is
// xl/_rels/workbook.xml.rels, and its targets are relative to xl/.
func (wb *workbook) readRels(book string, relIDs []string) (sheetPath, sstPath string, err error) {
	dir, base := path.Split(book)
	worksheets := map[string]string{}
	err = wb.walk(dir+"_rels/"+base+".rels", func(_ *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "Relationship" || attr(se, "TargetMode") == "External" {
			return nil
		}
		target := partName(dir, attr(se, "Target"))
		switch typ := attr(se, "Type"); {
		case strings.HasSuffix(typ, "/worksheet"):
			worksheets[attr(se, "Id")] = target
		case strings.HasSuffix(typ, "/sharedStrings") && sstPath == "":
			sstPath = target
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	for _, id := range relIDs {
		if p := worksheets[id]; p != "" {
			return p, sstPath, nil
		}
	}
	return "", "", fmt.Errorf("xlsx: no worksheet among the sheets %q", relIDs)
}

// partName turns a relationship target into an archive entry name:
// targets are relative to the folder of the part that holds the
// relationship (dir), unless they start with a slash.
func partName(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Join(dir, target)
}

// readSharedStrings reads the string table. A rich-text string is the
// concatenation of its runs; phonetic hints (rPh) are not part of it.
func (wb *workbook) readSharedStrings(name string) ([]string, error) {
	var sst []string
	err := wb.walk(name, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local != "si" {
			return nil
		}
		if len(sst) >= wb.lim.strings {
			return fmt.Errorf("xlsx: more than %d shared strings", wb.lim.strings)
		}
		s, err := richText(d)
		if err != nil {
			return fmt.Errorf("xlsx: %s: %v", name, err)
		}
		// The string, its header and the list's growth.
		if err := wb.budget.Reserve(int64(len(s))+2*stringHeader, "xlsx: shared strings"); err != nil {
			return err
		}
		sst = append(sst, s)
		return nil
	})
	return sst, err
}

// richText reads the text of an element such as <si> or <is>, whose start
// was just read: the <t> children, directly or inside <r> runs.
func richText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	inT := false
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "rPh" {
				if err := d.Skip(); err != nil {
					return "", err
				}
				continue
			}
			depth++
			inT = t.Name.Local == "t"
		case xml.EndElement:
			depth--
			inT = false
		case xml.CharData:
			if inT {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}
