package dataonline

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/internal/memtest"
	"github.com/bmkg/mkggraph/internal/golden"
)

// bombElements is how many empty elements testdata/hostile-bomb.xlsx
// puts in its sheet: 15 MB of XML, under the 16 MB a part may have, that
// encoding/xml would decode a token at a time.
const bombElements = 15 << 20 / len("<x/>")

// craftHostileBomb builds hostile-bomb.xlsx (see testdata/README): the
// Banten export with bombElements empty <x/> elements inserted at the
// start of its worksheet's sheetData, the other parts copied as stored.
func craftHostileBomb(t testing.TB) []byte {
	t.Helper()
	data := fixture.Read(t, banten)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := w.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sheet := readPart(t, f)
		at := bytes.Index(sheet, []byte("<sheetData>"))
		if at < 0 {
			t.Fatal("no <sheetData> in the worksheet")
		}
		at += len("<sheetData>")
		fh := f.FileHeader
		fw, err := w.CreateHeader(&fh)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(sheet[:at])
		fw.Write(bytes.Repeat([]byte("<x/>"), bombElements))
		fw.Write(sheet[at:])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func readPart(t testing.TB, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestHostileBombIsRefused: a 28 KB workbook whose sheet inflates to
// 15 MB, as its archive says, is refused before the sheet is inflated,
// by Detect (which says it is a workbook, too large) and by Parse.
func TestHostileBombIsRefused(t *testing.T) {
	path := "testdata/hostile-bomb.xlsx"
	golden.Check(t, path, craftHostileBomb(t))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(len(data))
	memtest.Within(t, path, size, budget.Limit(size, MemoryFactor), func() {
		if !Detect(data) {
			t.Error("Detect = false: ingest would call it an unknown format")
		}
		_, err := Parse(data)
		if !errors.Is(err, budget.ErrTooLarge) || !strings.Contains(err.Error(), "sheet1.xml") {
			t.Errorf("%v", err)
		}
	})
}

// TestRealSamplesWithinBudget detects and parses every sample, as ingest
// does: each call stays within the file's budget.
func TestRealSamplesWithinBudget(t *testing.T) {
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		size := int64(len(data))
		memtest.Within(t, s.name, size, budget.Limit(size, MemoryFactor), func() {
			if !Detect(data) {
				t.Fatal("not detected")
			}
			if _, err := Parse(data); err != nil {
				t.Fatal(err)
			}
		})
	}
}
