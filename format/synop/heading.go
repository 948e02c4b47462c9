package synop

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// heading recognises a line that is exactly TTAAii CCCC YYGGgg [BBB].
// bbbOK is false when a fourth group is present but is not a known BBB.
func (s *splitter) heading(toks []token) (h Heading, bbbOK, ok bool) {
	if len(toks) != 3 && len(toks) != 4 {
		return h, false, false
	}
	tt := strings.ToUpper(s.text(toks[0]))
	cccc := strings.ToUpper(s.text(toks[1]))
	yygggg := s.text(toks[2])
	if !isTTAAii(tt) || !isLetters(cccc, 4) || !isDigits(yygggg, 6) {
		return h, false, false
	}
	h = Heading{TTAAii: tt, CCCC: cccc, YYGGgg: yygggg}
	if len(toks) == 3 {
		return h, true, true
	}
	h.BBB = strings.ToUpper(s.text(toks[3]))
	if !isLetters(h.BBB, 3) {
		return Heading{}, false, false
	}
	return h, validBBB(h.BBB), true
}

func isTTAAii(s string) bool {
	return len(s) == 6 && isLetters(s[:4], 4) && isDigits(s[4:], 2)
}

func validBBB(b string) bool {
	switch b[:2] {
	case "RR", "CC", "AA":
		return true
	}
	return b[0] == 'P'
}

func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	_, ok := digits(s)
	return ok && len(s) == n
}

// digits parses a run of decimal digits; "/" or anything else is not a number.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func quote(s string) string { return strconv.Quote(s) }

// detectWindow is how much of the head Detect looks at.
const detectWindow = 8 << 10

// Detect reports whether head, the first few kilobytes of a file, looks like
// FM-12 SYNOP: a section-0 group AAXX followed by a YYGGiw group. A
// heading alone is not enough, because SM/SI/SN bulletins may also carry
// BUFR or national formats.
func Detect(head []byte) bool {
	if len(head) > detectWindow {
		head = head[:detectWindow]
	}
	fields := strings.FieldsFunc(string(head), func(r rune) bool { return r <= ' ' || r == 0x7f })
	for i := 0; i+1 < len(fields); i++ {
		if strings.EqualFold(fields[i], "AAXX") && looksLikeDate(fields[i+1]) {
			return true
		}
	}
	return false
}

func looksLikeDate(g string) bool {
	if len(g) != 5 {
		return false
	}
	d, ok1 := digits(g[:2])
	h, ok2 := digits(g[2:4])
	return ok1 && ok2 && d >= 1 && d <= 31 && h <= 23 && strings.ContainsRune("01234/", rune(g[4]))
}

// wmoFileName matches the WMO file-naming convention (Manual on the GTS,
// attachment II-15): pflag_productidentifier_oflag_originator_yyyyMMddhhmmss[_freeformat].type
var wmoFileName = regexp.MustCompile(`^[ATW]_[^_]+_C_[A-Za-z0-9]{4}_([0-9]{14})(?:[_.]|$)`)

// ReferenceFromFilename returns the creation time carried by a file name that
// follows the WMO convention, e.g.
// A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt → 2022-03-21 12:05:00 UTC.
// It is the reference time for ResolveTime. ok is false for other names.
func ReferenceFromFilename(name string) (t time.Time, ok bool) {
	m := wmoFileName.FindStringSubmatch(filepath.Base(name))
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", m[1])
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
