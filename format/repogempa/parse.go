package repogempa

import (
	"bytes"
	"errors"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/reject"
)

// Detect reports whether head, the first few KB of a file, looks like a
// repository origin list: HTML with a <pre> block and the page's header or
// its viewmap.php links.
func Detect(head []byte) bool {
	head = head[:min(len(head), sniff.Len)]
	lower := bytes.ToLower(head)
	if !bytes.Contains(lower, []byte("<pre")) {
		return false
	}
	return bytes.Contains(lower, []byte("format origin results")) ||
		bytes.Contains(lower, []byte("viewmap.php")) ||
		bytes.Contains(lower, []byte("inatews"))
}

// Parse reads one daily origin list. It returns an error only when the page
// holds no origin list at all; a row that cannot be read is rejected and
// the other rows are returned. A page with the header and no rows (a
// quiet day) gives no events and no error.
func Parse(data []byte) ([]quake.Event, []reject.Reject, error) {
	if err := budget.CheckSize("repogempa", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	lines := strings.Split(preBlock(string(data)), "\n")
	header := false
	var events []quake.Event
	var rejects []reject.Reject
	record := 0
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if isHeader(line) {
			header = true
			continue
		}
		if !startsWithDate(line) {
			continue
		}
		record++
		e, err := parseRow(line)
		if err != nil {
			rejects = append(rejects, reject.Reject{Record: record, Reason: err.Error()})
			continue
		}
		e.Record = record
		events = append(events, e)
	}
	if !header && record == 0 {
		return nil, nil, errors.New("repogempa: no origin list (no header and no data rows)")
	}
	return events, rejects, nil
}

// preBlock returns the text inside the first <pre> element, or the whole
// input when there is none (a list saved as plain text).
func preBlock(s string) string {
	lower := asciiLower(s)
	start := strings.Index(lower, "<pre")
	if start < 0 {
		return s
	}
	open := strings.IndexByte(s[start:], '>')
	if open < 0 {
		return ""
	}
	body := s[start+open+1:]
	if end := strings.Index(asciiLower(body), "</pre"); end >= 0 {
		body = body[:end]
	}
	return body
}

// isHeader recognises the column header "Date Time Lat Lon Dep M MT Region"
// or the title line "Format origin results for:".
func isHeader(line string) bool {
	if strings.HasPrefix(strings.ToLower(line), "format origin results") {
		return true
	}
	f := strings.Fields(line)
	return len(f) >= 4 && f[0] == "Date" && f[1] == "Time" && f[2] == "Lat" && f[3] == "Lon"
}

// startsWithDate matches "2008/11/01" (or "2008-11-01") at the start.
func startsWithDate(line string) bool {
	if len(line) < 10 {
		return false
	}
	for i := 0; i < 10; i++ {
		c := line[i]
		switch i {
		case 4, 7:
			if c != '/' && c != '-' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}
