package synop

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/budget"
)

func mustParse(t *testing.T, text string) *File {
	t.Helper()
	f, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestFraming(t *testing.T) {
	text := "\x01\r\r\nZCZC 001\r\r\nSMID20 WIII 010000 CCA\r\r\nAAXX 01001\r\r\n" +
		"96749 32970 10000 10250 20230 39990 40080 58010=\r\r\n" +
		"96745 NIL=\r\r\n\x03\r\r\nnnnn\r\r\n" +
		"ZCZC 002\nSMID21 WAAA 010000\nAAXX 01001\n97180 32960\n 20000 10280=\nNNNN\n"
	f := mustParse(t, text)
	if len(f.Problems) != 0 || len(f.Bulletins) != 2 {
		t.Fatalf("got %d bulletins, problems %v", len(f.Bulletins), f.Problems)
	}
	b := f.Bulletins[0]
	if b.Heading.Line() != "SMID20 WIII 010000 CCA" || !b.Heading.IsCorrection() || b.HeadingLine != 3 {
		t.Errorf("heading %+v at line %d", b.Heading, b.HeadingLine)
	}
	if b.Day != 1 || b.Hour != 0 || b.WindUnitIndicator != 1 || len(b.Reports) != 2 {
		t.Errorf("bulletin %+v", b)
	}
	if r := b.Reports[0]; r.Line != 5 || r.Text != "96749 32970 10000 10250 20230 39990 40080 58010=" || r.Station != "96749" {
		t.Errorf("report %q at line %d", r.Text, r.Line)
	}
	if r := b.Reports[1]; !r.Nil || r.Decoded != nil || r.Station != "96745" {
		t.Errorf("NIL report %+v", r)
	}
	r := f.Bulletins[1].Reports[0]
	if r.Text != "97180 32960\n 20000 10280=" || r.Line != 12 || r.Decoded == nil || *r.Decoded.AirTemperatureC != 28 {
		t.Errorf("wrapped report %q line %d", r.Text, r.Line)
	}
	if f.Bulletins[1].Heading.IsCorrection() {
		t.Error("bulletin without BBB reported as a correction")
	}
}

func TestSection0PerReport(t *testing.T) {
	f := mustParse(t, "AAXX 01001 96001 32970 10000 10250=\nAAXX 01034 96003 32970 10010 10260=\n")
	b := f.Bulletins[0]
	if b.HeadingLine != 0 || b.Hour != 0 || len(b.Reports) != 2 {
		t.Fatalf("bulletin %+v", b)
	}
	r := b.Reports[1]
	if r.Hour != 3 || r.Decoded.WindUnit != "kt" || *r.Decoded.Wind.SpeedMS != 5.14 {
		t.Errorf("second section 0 not applied: hour %d, wind %+v", r.Hour, r.Decoded.Wind)
	}
}

func TestUnsupportedAndBroken(t *testing.T) {
	text := "SMVD01 KWBC 010000\nBBXX\nWLGT 01004 99123 70456 41598 70512=\nNNNN\n" +
		"garbage before\nSNXX01 ABCD 010000\nNIL=\n" +
		"SMXX02 ABCD 010000\nAAXX 01001\n12345 02999 02501 10103\n" +
		"SMXX03 ABCD 010000\nAAXX 01001\n12346 02999 02501 10103=\n\x03 trailing garbage\n"
	f := mustParse(t, text)
	if len(f.Bulletins) != 4 {
		t.Fatalf("got %d bulletins", len(f.Bulletins))
	}
	ship := f.Bulletins[0]
	if ship.Kind != "BBXX" || len(ship.Reports) != 0 || len(ship.Problems) != 1 ||
		!strings.Contains(ship.Problems[0].Message, "not supported") {
		t.Errorf("BBXX bulletin %+v", ship)
	}
	if len(f.Problems) != 1 || f.Problems[0].Line != 5 {
		t.Errorf("stray text problems %v", f.Problems)
	}
	if !f.Bulletins[1].Nil || len(f.Bulletins[1].Problems) != 0 {
		t.Errorf("NIL bulletin %+v", f.Bulletins[1])
	}
	if n := len(f.Bulletins[2].Reports); n != 1 {
		t.Fatalf("got %d reports", n)
	}
	last := f.Bulletins[2].Reports[0]
	if len(last.Problems) != 1 || !strings.Contains(last.Problems[0].Message, "not terminated") || last.Decoded == nil {
		t.Errorf("unterminated report %+v", last)
	}
	if b := f.Bulletins[3]; len(b.Reports) != 1 || len(b.Problems) != 1 || b.Problems[0].Line != 14 {
		t.Errorf("trailing garbage: %d reports, problems %v", len(b.Reports), b.Problems)
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := Parse([]byte("METAR WIII 010000Z 00000KT 9999 FEW020 30/24 Q1010=")); !errors.Is(err, ErrNoSynop) {
		t.Errorf("METAR: err %v", err)
	}
	if _, err := Parse(make([]byte, MaxInputSize+1)); !errors.Is(err, budget.ErrTooLarge) {
		t.Errorf("oversized input: err %v", err)
	}
}

func TestLimits(t *testing.T) {
	long := "AAXX 01001\n96001 32970 " + strings.Repeat("10250 ", MaxGroupsPerReport+10) + "=\n"
	r := mustParse(t, long).Bulletins[0].Reports[0]
	if !strings.Contains(r.Problems[0].Message, "groups ignored") {
		t.Errorf("over-long report problems %v", r.Problems)
	}
	var b bytes.Buffer
	b.WriteString("AAXX 01001\n")
	for i := 0; i < MaxReports+5; i++ {
		b.WriteString("1=")
	}
	f := mustParse(t, b.String())
	if n := len(f.Bulletins[0].Reports); n != MaxReports || len(f.Problems) != 1 {
		t.Errorf("got %d reports, problems %v", n, f.Problems)
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{"SMRO01 YRBK 211200\n\nAAXX 21121\n15015 02999", true},
		{"ZCZC 123\nSMCU20 MUHV 310000\naaxx 31001\n", true},
		{"SMRO01 YRBK 211200\n", false},
		{"AAXX is a word 12345", false},
		{"BUFR\x00\x00", false},
	} {
		if got := Detect([]byte(c.head)); got != c.want {
			t.Errorf("Detect(%q) = %v", c.head, got)
		}
	}
}
