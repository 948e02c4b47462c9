package csvrows

import (
	"encoding/csv"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/reject"
)

var errFormat = errors.New("not the format")

func TestEach(t *testing.T) {
	r := NewReader([]byte("\xef\xbb\xbfa,b\n1,2\n\n3\n\"4,5\n6,x\n"))
	if h, err := Header(r, errFormat); err != nil || !reflect.DeepEqual(h, []string{"a", "b"}) {
		t.Fatalf("header %q, %v", h, err)
	}
	var rows []string
	rejects, err := Each(r, 2, func(line int, rec []string) string {
		if rec[1] == "x" {
			return "b is x"
		}
		rows = append(rows, fmt.Sprint(line, rec))
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2 [1 2]"}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if len(rejects) != 2 || rejects[0] != (reject.Reject{Record: 4, Reason: "row has 1 fields, header has 2"}) ||
		rejects[1].Record != 5 || !strings.HasPrefix(rejects[1].Reason, "malformed CSV: ") {
		t.Errorf("rejects %+v", rejects)
	}
}

type failing struct{}

var errDisk = errors.New("disk gone")

func (failing) Read([]byte) (int, error) { return 0, errDisk }

func TestEachStopsOnReadError(t *testing.T) {
	r := csv.NewReader(failing{})
	_, err := Each(r, 1, func(int, []string) string { t.Error("row from a failing reader"); return "" })
	if !errors.Is(err, errDisk) {
		t.Fatalf("Each = %v, want the read error", err)
	}
}

func TestHeaderMissing(t *testing.T) {
	if _, err := Header(NewReader(nil), errFormat); !errors.Is(err, errFormat) {
		t.Errorf("empty file: %v", err)
	}
}

type cols struct{ name, lat, extra int }

func locate(header []string) (cols, error) {
	var c cols
	err := Columns{"name": &c.name, "latitude": &c.lat, "extra": &c.extra}.Locate(header, strings.ToLower, errFormat, "name", "latitude")
	return c, err
}

func (c cols) row(rec []string) (string, string) {
	if _, _, reason := LatLon(Field(rec, c.lat), "0"); reason != "" {
		return "", reason
	}
	return Field(rec, c.name) + "|" + Field(rec, c.extra), ""
}

func TestRead(t *testing.T) {
	got, rejects, err := Read([]byte(" LATITUDE ,Name,Name\n1.5, a ,b\n95,c,d\n"), errFormat, locate, cols.row)
	if err != nil {
		t.Fatal(err)
	}
	// The first Name column wins; the absent extra column reads as "".
	if !reflect.DeepEqual(got, []string{"a|"}) {
		t.Errorf("rows %q", got)
	}
	if len(rejects) != 1 || rejects[0] != (reject.Reject{Record: 3, Reason: `latitude "95": want decimal degrees in [-90, 90]`}) {
		t.Errorf("rejects %+v", rejects)
	}
	if _, _, err := Read([]byte("name,lon\nx,1\n"), errFormat, locate, cols.row); !errors.Is(err, errFormat) || !strings.Contains(err.Error(), "no latitude column") {
		t.Errorf("no latitude column: %v", err)
	}
}

func TestOptional(t *testing.T) {
	if v, reason := Optional("elevation", ""); v != nil || reason != "" {
		t.Errorf("empty: %v %q", v, reason)
	}
	if v, reason := Optional("elevation", "12.5"); v == nil || *v != 12.5 || reason != "" {
		t.Errorf("12.5: %v %q", v, reason)
	}
	if _, reason := Optional("elevation", "830 m"); reason != `elevation "830 m": not a number` {
		t.Errorf("830 m: %q", reason)
	}
}
