package quakeml

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// timeLayouts are the forms time/value takes. QuakeML times are UTC; a
// value without a zone is read as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("origin time/value is missing")
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("origin time/value %q is not an ISO-8601 time", s)
}

// required reads a number that must be present.
func required(s, field string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("%s is missing", field)
	}
	if !isDecimal(s) {
		return 0, fmt.Errorf("%s %q is not a number", field, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number", field, s)
	}
	return v, nil
}

// metresToKm reads depth/value in metres. The decimal exponent is shifted
// rather than the value divided, so "26451.8" becomes exactly the double
// nearest 26.4518 instead of 26.451800000000002.
func metresToKm(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if !isDecimal(s) {
		return nil, fmt.Errorf("origin depth/value %q is not a number", s)
	}
	mant, exp, _ := strings.Cut(strings.ToLower(s), "e")
	e := 0
	if exp != "" {
		e, _ = strconv.Atoi(exp)
	}
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e-3), 64)
	if err != nil {
		return nil, fmt.Errorf("origin depth/value %q is not a number", s)
	}
	return &v, nil
}

// isDecimal accepts a decimal number with an optional exponent. It refuses
// what strconv.ParseFloat would also take: "NaN", "Inf", hex floats and
// underscores.
func isDecimal(s string) bool {
	if len(s) > 40 {
		return false
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		exp = strings.TrimPrefix(strings.TrimPrefix(exp, "-"), "+")
		if exp == "" || len(exp) > 4 || !allDigits(exp) {
			return false
		}
	}
	mant = strings.TrimPrefix(strings.TrimPrefix(mant, "-"), "+")
	whole, frac, _ := strings.Cut(mant, ".")
	return (whole != "" || frac != "") && allDigits(whole) && allDigits(frac)
}

func allDigits(s string) bool { return strings.Trim(s, "0123456789") == "" }

// collapse trims s and folds every run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// declaresEncoding reports whether the XML declaration names an encoding,
// in which case charsetReader decodes it instead of the bytes being
// repaired as UTF-8.
func declaresEncoding(data []byte) bool {
	head := data[:min(len(data), 200)]
	end := bytes.Index(head, []byte("?>"))
	return bytes.HasPrefix(bytes.TrimSpace(head), []byte("<?xml")) && end > 0 &&
		bytes.Contains(head[:end], []byte("encoding"))
}

// charsetReader decodes the single-byte encodings an export may declare.
// Windows-1252 is read as ISO-8859-1; the two differ only in 0x80-0x9F.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(in)}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// latin1Reader turns each input byte into the UTF-8 of the same code point.
type latin1Reader struct {
	r       *bufio.Reader
	pending []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.pending) > 0 {
			c := copy(p[n:], l.pending)
			l.pending = l.pending[c:]
			n += c
			continue
		}
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		l.pending = utf8.AppendRune(l.pending[:0], rune(b))
	}
	return n, nil
}
