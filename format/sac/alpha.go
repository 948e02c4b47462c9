package sac

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
)

// SAC's alphanumeric format is the binary header written as text: 14
// lines of five floats (5G15.7), 8 lines of five integers (5I10) and 8
// lines of strings (KSTNM A8 and KEVNM A16, then seven lines of three
// A8), followed by the samples, five per line (5G15.7).
const (
	alphaFloatLines = 14
	alphaIntLines   = 8
	alphaStrLines   = 8
	alphaHeaderLns  = alphaFloatLines + alphaIntLines + alphaStrLines
)

// detectAlpha reports whether data starts with an alphanumeric SAC header:
// 14 lines of five numbers, then 8 lines of five integers with the header
// version 6 or 7 second on the first of them (word 76).
func detectAlpha(data []byte) bool {
	lines := splitLines(data, alphaFloatLines+alphaIntLines+1)
	if len(lines) <= alphaFloatLines+alphaIntLines {
		return false
	}
	for i := 0; i < alphaFloatLines+alphaIntLines; i++ {
		f := strings.Fields(lines[i])
		if len(f) != 5 {
			return false
		}
		for _, s := range f {
			if _, err := strconv.ParseFloat(s, 64); err != nil {
				return false
			}
		}
	}
	v := strings.Fields(lines[alphaFloatLines+1])[1]
	return v == "6" || v == "7"
}

// splitLines returns up to n lines of data, without line ends.
func splitLines(data []byte, n int) []string {
	var out []string
	for len(data) > 0 && len(out) < n {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		out = append(out, string(bytes.TrimSuffix(line, []byte("\r"))))
	}
	return out
}

// parseAlpha reads an alphanumeric file: its header is rebuilt as binary
// words and read as a binary header is.
func parseAlpha(data []byte, b *budget.Budget) (Header, []float64, error) {
	lines := splitLines(data, alphaHeaderLns)
	if len(lines) < alphaHeaderLns {
		return Header{}, nil, fmt.Errorf("sac: alphanumeric header has %d of %d lines", len(lines), alphaHeaderLns)
	}
	hdr := make([]byte, HeaderLen)
	le := binary.LittleEndian
	for i := 0; i < alphaFloatLines+alphaIntLines; i++ {
		f := strings.Fields(lines[i])
		if len(f) != 5 {
			return Header{}, nil, fmt.Errorf("sac: alphanumeric header line %d has %d values, want 5", i+1, len(f))
		}
		for j, s := range f {
			word := 5*i + j
			if i < alphaFloatLines {
				x, err := strconv.ParseFloat(s, 32)
				if err != nil {
					return Header{}, nil, fmt.Errorf("sac: alphanumeric header line %d: %.20q is not a number", i+1, s)
				}
				le.PutUint32(hdr[4*word:], math.Float32bits(float32(x)))
				continue
			}
			n, err := strconv.ParseInt(s, 10, 32)
			if err != nil {
				return Header{}, nil, fmt.Errorf("sac: alphanumeric header line %d: %.20q is not an integer", i+1, s)
			}
			le.PutUint32(hdr[4*word:], uint32(int32(n)))
		}
	}
	strs := hdr[440:]
	for i := range strs {
		strs[i] = ' '
	}
	for i, line := range lines[alphaFloatLines+alphaIntLines:] {
		copy(strs[24*i:24*i+24], line) // each line holds 24 characters
	}
	h, err := decodeHeader(words{hdr, le})
	if err != nil {
		return Header{}, nil, err
	}
	if h.NVHDR == 7 {
		return Header{}, nil, fmt.Errorf("sac: alphanumeric file with header version 7 is not supported (it has no footer)")
	}
	if err := h.reserveSamples(b); err != nil {
		return Header{}, nil, err
	}
	acc, err := alphaSamples(data, h.NPTS, b)
	if err != nil {
		return Header{}, nil, err
	}
	return h, acc, nil
}

// alphaSamples reads the npts numbers after the header. The byte count
// bounds npts before anything is allocated: each number takes at least
// two bytes (a digit and a separator).
func alphaSamples(data []byte, npts int, b *budget.Budget) ([]float64, error) {
	rest := data
	for i := 0; i < alphaHeaderLns; i++ {
		if j := bytes.IndexByte(rest, '\n'); j >= 0 {
			rest = rest[j+1:]
		} else {
			rest = nil
		}
	}
	if npts > (len(rest)+1)/2 {
		return nil, fmt.Errorf("sac: NPTS %d samples cannot fit in the %d bytes after the alphanumeric header", npts, len(rest))
	}
	if err := b.Reserve(int64(len(rest)), "sac: alphanumeric samples"); err != nil {
		return nil, err
	}
	acc := make([]float64, 0, npts)
	for s := range strings.FieldsSeq(string(rest)) {
		if len(acc) == npts {
			return nil, fmt.Errorf("sac: more than NPTS %d samples after the alphanumeric header", npts)
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("sac: sample %d %.20q is not a finite number", len(acc), s)
		}
		acc = append(acc, x)
	}
	if len(acc) != npts {
		return nil, fmt.Errorf("sac: NPTS %d, but the alphanumeric file has %d samples", npts, len(acc))
	}
	return acc, nil
}
