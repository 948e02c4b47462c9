package csvrows

import (
	"encoding/csv"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestEach(t *testing.T) {
	in := "a,b\n1,2\n\n3\n\"4,5\n"
	r := csv.NewReader(strings.NewReader(in))
	r.FieldsPerRecord = -1
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	var rows, rejects []string
	err := Each(r, 2, func(line int, rec []string) { rows = append(rows, fmt.Sprint(line, rec)) },
		func(line int, reason string) { rejects = append(rejects, fmt.Sprint(line, " ", reason)) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2 [1 2]"}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	if len(rejects) != 2 || rejects[0] != "4 row has 1 fields, header has 2" || !strings.HasPrefix(rejects[1], "5 malformed CSV: ") {
		t.Errorf("rejects %q", rejects)
	}
}

type failing struct{}

var errDisk = errors.New("disk gone")

func (failing) Read([]byte) (int, error) { return 0, errDisk }

func TestEachStopsOnReadError(t *testing.T) {
	r := csv.NewReader(failing{})
	err := Each(r, 1, func(int, []string) { t.Error("row from a failing reader") }, func(int, string) { t.Error("reject from a failing reader") })
	if !errors.Is(err, errDisk) {
		t.Fatalf("Each = %v, want the read error", err)
	}
}
