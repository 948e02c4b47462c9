package synop

import "bytes"

// maxBulletins caps the bulletins kept for one file; a day of GTS traffic
// from one centre has a few thousand.
const maxBulletins = 100_000

// token is one whitespace-separated group with its place in the file.
type token struct {
	text       string
	line       int
	start, end int // byte offsets of the group in the file
}

// splitState is where the splitter is inside the current bulletin.
type splitState int

const (
	wantSection0 splitState = iota // before MiMiMjMj (AAXX, BBXX, OOXX)
	wantDate                       // after AAXX, expecting YYGGiw
	inReports                      // collecting reports
	skipBulletin                   // BBXX/OOXX: ignored until the next AAXX
)

// section0 is the YYGGiw group in force; -1 marks a missing value.
type section0 struct{ day, hour, iw int }

var noSection0 = section0{day: -1, hour: -1, iw: -1}

// pendingReport accumulates the groups of the report being read.
type pendingReport struct {
	groups     []token
	start, end int
	dropped    int // groups beyond MaxGroupsPerReport
	s0         section0
}

func (p *pendingReport) empty() bool { return len(p.groups) == 0 && p.dropped == 0 }

// splitter walks the file once, line by line and group by group, so that
// memory grows with what is kept, never with the raw size of the input.
type splitter struct {
	data       []byte
	f          *File
	b          *Bulletin
	st         splitState
	s0         section0
	complained bool // "text before section 0" already reported for this stretch
	dated      bool // the bulletin has had its first YYGGiw
	rep        pendingReport
	reports    int
	lastStray  int
	capped     map[string]bool // limits already reported
}

func split(data []byte) *File {
	s := &splitter{data: data, f: &File{}, s0: noSection0, capped: map[string]bool{}}
	line := 1
	for pos := 0; ; line++ {
		n := bytes.IndexByte(data[pos:], '\n')
		if n < 0 {
			s.line(pos, len(data), line)
			break
		}
		s.line(pos, pos+n, line)
		pos += n + 1
	}
	s.closeBulletin()
	return s.f
}

func isSpace(c byte) bool { return c <= ' ' || c == 0x7f }

// nextField finds the group that starts at or after i and ends before end;
// ok is false when there is none. Control characters (SOH, ETX, CR) count
// as spaces.
func (s *splitter) nextField(i, end int) (from, to int, ok bool) {
	for i < end && isSpace(s.data[i]) {
		i++
	}
	j := i
	for j < end && !isSpace(s.data[j]) {
		j++
	}
	return i, j, j > i
}

func (s *splitter) text(t token) string { return string(s.data[t.start:t.end]) }

func (s *splitter) bytes(t token) []byte { return s.data[t.start:t.end] }

func (s *splitter) line(start, end, line int) {
	// The first groups tell a framing or heading line from report text;
	// the rest of the line is streamed, however long it is.
	var buf [5]token
	head := buf[:0]
	for i := start; len(head) < len(buf); {
		from, to, ok := s.nextField(i, end)
		if !ok {
			break
		}
		head = append(head, token{line: line, start: from, end: to})
		i = to
	}
	if len(head) == 0 {
		return
	}
	if bytes.EqualFold(s.bytes(head[0]), []byte("ZCZC")) {
		s.closeBulletin() // the channel sequence number that follows is not needed
		return
	}
	if h, bbbOK, ok := s.heading(head); ok {
		s.openBulletin(h, line)
		if !bbbOK {
			s.bulletinProblem(line, h.BBB, "heading", "BBB "+quote(h.BBB)+" is not RRx, CCx, AAx or Pxx")
		}
		return
	}
	for i := start; ; {
		from, to, ok := s.nextField(i, end)
		if !ok {
			return
		}
		s.feed(token{line: line, start: from, end: to})
		i = to
	}
}

// feed routes one group, splitting it at '=' which ends a report.
func (s *splitter) feed(t token) {
	if bytes.EqualFold(s.bytes(t), []byte("NNNN")) {
		s.closeBulletin()
		return
	}
	for t.start < t.end {
		i := bytes.IndexByte(s.data[t.start:t.end], '=')
		if i < 0 {
			s.part(t)
			return
		}
		if i > 0 {
			s.part(token{line: t.line, start: t.start, end: t.start + i})
		}
		s.terminate(t.start + i + 1)
		t.start += i + 1
	}
}

// sectionKind returns MiMiMjMj when g is one, in upper case.
func sectionKind(g []byte) string {
	for _, k := range [...]string{"AAXX", "BBXX", "OOXX"} {
		if bytes.EqualFold(g, []byte(k)) {
			return k
		}
	}
	return ""
}

func (s *splitter) part(t token) {
	if t.end-t.start > 4*maxProblemGroup {
		t.end = t.start + 4*maxProblemGroup // a "group" this long is garbage; keep a bounded piece
	}
	g := s.bytes(t)
	if s.b == nil {
		if sectionKind(g) == "" {
			s.stray(t)
			return
		}
		if !s.openBulletin(Heading{}, 0) {
			return
		}
	}
	switch s.st {
	case wantSection0, skipBulletin:
		if kind := sectionKind(g); kind != "" {
			s.startSection0(kind, t)
			return
		}
		if s.st == wantSection0 {
			s.beforeSection0(t)
		}
	case wantDate:
		s.s0 = s.date(t, s.text(t))
		if !s.dated {
			s.b.Day, s.b.Hour, s.b.WindUnitIndicator = s.s0.day, s.s0.hour, s.s0.iw
			s.dated = true
		}
		s.st = inReports
	case inReports:
		if s.rep.empty() {
			if kind := sectionKind(g); kind != "" {
				s.startSection0(kind, t) // section 0 repeated before each report
				return
			}
		}
		s.addGroup(t)
	}
}

func (s *splitter) beforeSection0(t token) {
	if bytes.EqualFold(s.bytes(t), []byte("NIL")) && len(s.b.Reports) == 0 {
		s.b.Nil = true
		return
	}
	if !s.complained {
		s.bulletinProblem(t.line, s.text(t), "0", "text before section 0 (AAXX) ignored")
		s.complained = true
	}
}

func (s *splitter) startSection0(kind string, t token) {
	if s.b.Kind == "" {
		s.b.Kind = kind
	}
	if kind == "AAXX" {
		s.st = wantDate
		s.complained = false
		return
	}
	if s.st != skipBulletin {
		s.bulletinProblem(t.line, kind, "0", "reports from sea and mobile stations ("+kind+") are not supported; skipped")
	}
	s.st = skipBulletin
}

// date reads YYGGiw. Each part that cannot be read stays -1.
func (s *splitter) date(t token, g string) section0 {
	s0 := noSection0
	if len(g) != 5 {
		s.bulletinProblem(t.line, g, "0", "YYGGiw must have 5 characters")
		return s0
	}
	if d, ok := digits(g[0:2]); ok && d >= 1 && d <= 31 {
		s0.day = d
	} else {
		s.bulletinProblem(t.line, g, "0", "day YY "+quote(g[0:2])+" is not 01-31")
	}
	if h, ok := digits(g[2:4]); ok && h <= 23 {
		s0.hour = h
	} else {
		s.bulletinProblem(t.line, g, "0", "hour GG "+quote(g[2:4])+" is not 00-23")
	}
	switch g[4] {
	case '0', '1', '3', '4':
		s0.iw = int(g[4] - '0')
	case '/':
		s.bulletinProblem(t.line, g, "0", "wind unit indicator iw is missing; wind speeds are not decoded")
	default:
		s.bulletinProblem(t.line, g, "0", "wind unit indicator iw "+quote(g[4:5])+" is not 0, 1, 3 or 4")
	}
	return s0
}

func (s *splitter) addGroup(t token) {
	if s.rep.empty() {
		s.rep.start = t.start
		s.rep.s0 = s.s0
	}
	s.rep.end = t.end
	if len(s.rep.groups) >= MaxGroupsPerReport {
		s.rep.dropped++
		return
	}
	t.text = s.text(t)
	s.rep.groups = append(s.rep.groups, t)
}

// terminate handles '=' at byte offset end-1.
func (s *splitter) terminate(end int) {
	if s.b == nil || s.st != inReports || s.rep.empty() {
		return // a stray '=' carries nothing
	}
	s.rep.end = end
	s.finishReport(true)
}

func (s *splitter) finishReport(terminated bool) {
	rep := s.rep
	s.rep = pendingReport{groups: rep.groups[:0]}
	if s.reports >= MaxReports {
		s.fileLimit("reports", "more than MaxReports reports; the rest are ignored")
		return
	}
	s.reports++
	r := buildReport(s.data, rep, terminated)
	s.b.Reports = append(s.b.Reports, r)
}

func (s *splitter) openBulletin(h Heading, line int) bool {
	s.closeBulletin()
	if len(s.f.Bulletins) >= maxBulletins {
		s.fileLimit("bulletins", "more than 100000 bulletins; the rest are ignored")
		return false
	}
	s.b = &Bulletin{Heading: h, HeadingLine: line, Day: -1, Hour: -1, WindUnitIndicator: -1, Reports: []Report{}}
	s.st, s.s0, s.complained, s.dated = wantSection0, noSection0, false, false
	return true
}

func (s *splitter) closeBulletin() {
	b := s.b
	if b == nil {
		return
	}
	if !s.rep.empty() {
		if first := s.rep.groups[0]; isStationIndex(first.text) {
			s.finishReport(false)
		} else {
			// unterminated text that does not start like a report
			s.bulletinProblem(first.line, first.text, "1", "text after the last report ignored")
			s.rep = pendingReport{groups: s.rep.groups[:0]}
		}
	}
	switch {
	case s.st == wantDate:
		s.bulletinProblem(0, "", "0", "section 0 has no YYGGiw group")
	case b.Kind == "" && !b.Nil:
		s.bulletinProblem(b.HeadingLine, b.Heading.Line(), "0", "bulletin has no section 0 (AAXX)")
	case b.Kind == "AAXX" && len(b.Reports) == 0 && !b.Nil:
		s.bulletinProblem(b.HeadingLine, "", "0", "bulletin has no reports")
	}
	s.f.Bulletins = append(s.f.Bulletins, *b)
	s.b = nil
	s.st = wantSection0
}

func (s *splitter) bulletinProblem(line int, group, section, msg string) {
	if len(s.b.Problems) >= MaxFileProblems {
		return
	}
	p := Problem{Line: line, Group: clip(group), Section: section, Message: msg}
	if group != "" {
		p.Message = "group " + quote(clip(group)) + ": " + msg
	}
	s.b.Problems = append(s.b.Problems, p)
}

// stray records text outside any bulletin, once per line.
func (s *splitter) stray(t token) {
	if t.line == s.lastStray || len(s.f.Problems) >= MaxFileProblems {
		return
	}
	s.lastStray = t.line
	g := s.text(t)
	s.f.Problems = append(s.f.Problems, Problem{Line: t.line, Group: clip(g),
		Message: "group " + quote(clip(g)) + ": text outside any bulletin ignored"})
}

func (s *splitter) fileLimit(key, msg string) {
	if s.capped[key] {
		return
	}
	s.capped[key] = true
	s.f.Problems = append(s.f.Problems, Problem{Message: msg})
}
