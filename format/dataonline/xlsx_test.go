package dataonline

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
)

// entry is one file of a test archive.
type entry struct{ name, body string }

func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		f, err := w.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsAttrs = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
)

// workbookParts are the parts every test workbook shares; workbookPr is
// the attributes of <workbookPr>, e.g. date1904="1".
func workbookParts(workbookPr string) []entry {
	return []entry{
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + nsAttrs + `><workbookPr ` + workbookPr +
			`/><sheets><sheet name="Data Harian - Table" sheetId="1" r:id="rId7"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId3" Type="` + relNS + `sharedStrings" Target="sharedStrings.xml"/>` +
			`<Relationship Id="rId7" Type="` + relNS + `worksheet" Target="/xl/worksheets/data.xml"/></Relationships>`},
	}
}

// sharedStrings holds index 0 "Tanggal", 1 "RR" written as two rich-text
// runs, 2 "Tn" with a phonetic hint that is not part of the text.
const sharedStrings = `<sst ` + nsAttrs + `><si><t>Tanggal</t></si><si><r><rPr><b/></rPr><t>R</t></r><r><t>R</t></r></si>` +
	`<si><t>Tn</t><rPh sb="0" eb="1"><t>xx</t></rPh></si></sst>`

func makeXLSX(t testing.TB, workbookPr, sheetData string) []byte {
	t.Helper()
	parts := append(workbookParts(workbookPr),
		entry{"xl/sharedStrings.xml", sharedStrings},
		entry{"xl/worksheets/data.xml", `<worksheet ` + nsAttrs + `><sheetData>` + sheetData + `</sheetData></worksheet>`})
	return zipOf(t, parts...)
}

// header is row 1: Tanggal in A (shared), RR in C (shared rich text, B
// skipped), Tn in D as an inline string.
var header = headerAt(1)

func headerAt(row int) string {
	return fmt.Sprintf(`<row r="%[1]d"><c r="A%[1]d" t="s"><v>0</v></c><c r="C%[1]d" t="s"><v>1</v></c>`+
		`<c r="D%[1]d" t="inlineStr"><is><t>Tn</t></is></c></row>`, row)
}

func TestXLSXSerialDates(t *testing.T) {
	rows := header +
		`<row r="2"><c r="A2"><v>45170</v></c><c r="C2"><v>1.5</v></c><c r="D2" t="str"><v>24</v></c></row>` +
		`<row><c><v>45171</v></c><c/><c t="s"><v>2</v></c></row>` + // no references: row 3, cells A, B, C
		`<row r="5"><c r="A5" t="inlineStr"><is><t>04-09-2023</t></is></c><c r="C5" t="e"><v>#N/A</v></c></row>` +
		`<row r="6"><c r="A6"><v>60</v></c><c r="C6" t="b"><v>1</v></c></row>`
	f := mustParse(t, makeXLSX(t, "", rows))
	if len(f.Days) != 1 || dayLine(f.Days[0]) != "2023-09-01 row 2 | Tn 24 | RR 1.5" {
		t.Errorf("days %+v", f.Days)
	}
	checkRejects(t, f.Rejects, map[int]string{
		3: `RR "Tn" is not a number`,
		5: `RR "#N/A" is not a number`,
		6: "Tanggal serial 60 is 29-02-1900, which Excel counts but which did not exist; RR \"TRUE\" is not a number",
	})
	f = mustParse(t, makeXLSX(t, `date1904="1"`, header+`<row r="2"><c r="A2"><v>43708</v></c><c r="C2"><v>8888</v></c></row>`))
	if len(f.Days) != 1 || f.Days[0].Date.Format("2006-01-02") != "2023-09-01" || f.Days[0].RR.Flag != FlagNotMeasurable {
		t.Errorf("1904: %+v %+v", f.Days, f.Rejects)
	}
}

func TestXLSXLegendAndStation(t *testing.T) {
	rows := `<row r="1"><c r="B1" t="inlineStr"><is><t>ID WMO</t></is></c><c r="C1" t="inlineStr"><is><t>:  96001</t></is></c></row>` +
		`<row r="3"><c r="B3" t="inlineStr"><is><t>Lintang</t></is></c><c r="C3" t="inlineStr"><is><t>:  north</t></is></c></row>` +
		`<row r="4"><c r="B4" t="inlineStr"><is><t>Bujur</t></is></c><c r="C4" t="inlineStr"><is><t>:  95.3</t></is></c></row>` +
		headerAt(9) +
		`<row r="10"><c r="A10" t="inlineStr"><is><t>01-09-2023</t></is></c><c r="C10"><v>2</v></c></row>` +
		`<row r="12"><c r="A12" t="inlineStr"><is><t>RR: Curah hujan (mm)</t></is></c></row>` +
		`<row r="13"><c r="A13" t="inlineStr"><is><t>Keterangan :</t></is></c></row>` +
		`<row r="14"><c r="A14" t="inlineStr"><is><t>02-09-2023</t></is></c><c r="C14"><v>2</v></c></row>`
	f := mustParse(t, makeXLSX(t, "", rows))
	if len(f.Days) != 1 || f.Station.WMO != "96001" || f.Station.Latitude != nil || *f.Station.Longitude != 95.3 {
		t.Errorf("days %+v station %+v", f.Days, f.Station)
	}
	checkRejects(t, f.Rejects, map[int]string{3: `Lintang "north" is not a number`})
	if !Detect(makeXLSX(t, "", rows)) {
		t.Error("Detect = false")
	}
}

func TestXLSXCorrupt(t *testing.T) {
	good := makeXLSX(t, "", header+`<row r="2"><c r="A2"><v>45170</v></c><c r="C2"><v>1</v></c></row>`)
	sheet := func(rows string) []byte { return makeXLSX(t, "", header+rows) }
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", good[:len(good)/2], "xlsx: zip: not a valid zip file"},
		{"flipped byte", flip(good, bytes.Index(good, []byte("<row"))), ""}, // stored deflated: any failure will do
		{"no workbook", zipOf(t, entry{"a.txt", "x"}), "no xl/workbook.xml"},
		{"rows out of order", sheet(`<row r="1"><c r="A1"><v>1</v></c></row>`), "row 1 after row 1"},
		{"cells out of order", sheet(`<row r="2"><c r="C2"><v>1</v></c><c r="A2"><v>1</v></c></row>`), "out of place"},
		{"cell in another row", sheet(`<row r="2"><c r="A3"><v>1</v></c></row>`), "out of place"},
		{"bad reference", sheet(`<row r="2"><c r="a2"><v>1</v></c></row>`), "bad cell reference"},
		{"huge column", sheet(`<row r="2"><c r="XFE2"><v>1</v></c></row>`), "bad cell reference"},
		{"beyond read columns", sheet(`<row r="2"><c r="ZZ2"><v>1</v></c></row>`), "beyond the 128 columns"},
		{"shared string index", sheet(`<row r="2"><c r="A2" t="s"><v>9</v></c></row>`), "no shared string"},
		{"number cell", sheet(`<row r="2"><c r="A2"><v>NaN</v></c></row>`), "number cell holds"},
		{"cell type", sheet(`<row r="2"><c r="A2" t="x"><v>2023-09-01</v></c></row>`), "unsupported cell type"},
		{"bad XML", sheet(`<row r="2"><c r="A2"><v>1</c></row>`), "XML syntax error"},
		{"date1904", makeXLSX(t, `date1904="maybe"`, header), "date1904"},
		{"duplicate entry", zipOf(t, append(workbookParts(""), workbookParts("")...)...), "duplicate archive entry"},
	} {
		_, err := parse(c.data, testToday, defaultLimits())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
		if Detect(c.data) {
			t.Errorf("%s: Detect = true", c.name)
		}
	}
}

func flip(data []byte, i int) []byte {
	out := bytes.Clone(data)
	if i < 0 {
		i = len(out) / 3
	}
	out[i] ^= 0xff
	return out
}

func TestXLSXLimits(t *testing.T) {
	lim := defaultLimits()
	lim.rows, lim.cells = 3, 8
	for _, c := range []struct {
		rows, want string
	}{
		{`<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row><row r="4"><c r="A4"><v>1</v></c></row>`, "more than 3 rows"},
		{`<row r="2"><c r="H2"><v>1</v></c></row>`, "more than 8 cells"},
	} {
		if _, err := parse(makeXLSX(t, "", header+c.rows), testToday, lim); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	lim.strings = 2
	if _, err := parse(makeXLSX(t, "", header), testToday, lim); err == nil || !strings.Contains(err.Error(), "more than 2 shared strings") {
		t.Errorf("strings: %v", err)
	}
}

// bombSheet is a worksheet part that inflates to more than n bytes: a valid
// header row, then whitespace, which deflate shrinks a thousandfold.
func bombSheet(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<worksheet ` + nsAttrs + `><sheetData>` + header)
	b.Write(bytes.Repeat([]byte(" "), n))
	b.WriteString(`</sheetData></worksheet>`)
	return b.Bytes()
}

// TestZipBombHonestHeader: a small archive whose sheet inflates beyond the
// limit, and says so in its header, is refused before it is inflated.
func TestZipBombHonestHeader(t *testing.T) {
	lim := defaultLimits()
	lim.part = 1 << 20
	parts := append(workbookParts(""), entry{"xl/sharedStrings.xml", sharedStrings}, entry{"xl/worksheets/data.xml", string(bombSheet(2 << 20))})
	data := zipOf(t, parts...)
	if len(data) > 64<<10 {
		t.Fatalf("the bomb is %d bytes; it should be small", len(data))
	}
	_, err := parse(data, testToday, lim)
	if err == nil || !strings.Contains(err.Error(), "bytes decompressed, more than 1048576") {
		t.Errorf("error %v", err)
	}
	// With the real limits, a header claiming a terabyte costs nothing:
	// the memory budget refuses it first.
	data = rawSheetZip(t, bombSheet(1<<10), 1<<40)
	if _, err := Parse(data); !errors.Is(err, budget.ErrTooLarge) || !strings.Contains(err.Error(), "1099511627776 bytes") {
		t.Errorf("error %v", err)
	}
}

// TestZipBombLyingHeader writes an entry whose header claims to be within
// the limit but whose data inflates to far more: the reader must stop,
// whatever the header says.
func TestZipBombLyingHeader(t *testing.T) {
	lim := defaultLimits()
	lim.part = 1 << 20
	data := rawSheetZip(t, bombSheet(8<<20), uint64(lim.part))
	if _, err := parse(data, testToday, lim); err == nil {
		t.Fatal("a lying zip entry was read")
	}
}

// rawSheetZip builds a workbook whose sheet entry declares claimed bytes,
// whatever body inflates to.
func rawSheetZip(t *testing.T, body []byte, claimed uint64) []byte {
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range append(workbookParts(""), entry{"xl/sharedStrings.xml", sharedStrings}) {
		f, _ := w.Create(e.name)
		f.Write([]byte(e.body))
	}
	raw, err := w.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/data.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(comp.Len()), UncompressedSize64: claimed,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write(comp.Bytes())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBoundedReader checks the reader's own cut, which does not rely on
// archive/zip comparing the stream with the header.
func TestBoundedReader(t *testing.T) {
	for _, c := range []struct {
		size int
		fail bool
	}{{99, false}, {100, false}, {101, true}, {1 << 20, true}} {
		b := &boundedReader{r: bytes.NewReader(make([]byte, c.size)), left: 100, limit: 100, name: "part"}
		n, err := io.Copy(io.Discard, b)
		if (err != nil) != c.fail || n > 100 {
			t.Errorf("%d bytes: read %d, error %v", c.size, n, err)
		}
	}
}

func TestParseRef(t *testing.T) {
	for ref, want := range map[string]string{
		"A1": "1 1", "Z9": "26 9", "AA10": "27 10", "AB12": "28 12", "XFD1048576": "16384 1048576",
		"XFE1": "error", "A0": "error", "A": "error", "12": "error", "A+1": "error", "A1048577": "error", "": "error",
	} {
		col, row, err := parseRef(ref)
		got := fmt.Sprintf("%d %d", col, row)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("parseRef(%q) = %s, want %s", ref, got, want)
		}
	}
	if colName(28) != "AB" || colName(16384) != "XFD" {
		t.Errorf("colName: %s %s", colName(28), colName(16384))
	}
}
