package bmkgquake

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/sniff"
	"github.com/bmkg/mkggraph/format/quake"
	"github.com/bmkg/mkggraph/format/reject"
)

// Detect reports whether head, the first few KB of a file, looks like an
// Infogempa feed: a JSON object or an XML document naming Infogempa.
func Detect(head []byte) bool {
	head = sniff.Head(head, sniff.Len)
	if len(head) == 0 || (head[0] != '{' && head[0] != '<') {
		return false
	}
	return bytes.Contains(bytes.ToLower(head), []byte("infogempa"))
}

// Parse reads one autogempa, gempaterkini or gempadirasakan file, JSON or
// XML, current or legacy. It returns an error only when the file as a whole
// is not such a feed; a record that cannot be read is rejected and the
// other records are still returned.
func Parse(data []byte) ([]quake.Event, []reject.Reject, error) {
	if err := budget.CheckSize("bmkgquake", int64(len(data)), MaxInputSize); err != nil {
		return nil, nil, err
	}
	doc, err := decode(data)
	if err != nil {
		return nil, nil, err
	}
	kind := classify(doc)
	var events []quake.Event
	var rejects []reject.Reject
	for i, r := range doc.records {
		e, err := kind.event(r)
		if err != nil {
			rejects = append(rejects, reject.Reject{Record: i + 1, Reason: err.Error()})
			continue
		}
		e.Record = i + 1
		events = append(events, e)
	}
	if doc.truncated != nil {
		reason := fmt.Sprintf("file ends in the middle of a record: %v", doc.truncated)
		rejects = append(rejects, reject.Reject{Record: len(doc.records) + 1, Reason: reason})
	}
	return events, rejects, nil
}

// decode picks JSON or XML by the first significant byte.
func decode(data []byte) (document, error) {
	data = sniff.TrimBOM(data)
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return document{}, errors.New("bmkgquake: empty input")
	case trimmed[0] == '{':
		return decodeJSON(trimmed)
	case trimmed[0] == '<':
		return decodeXML(trimmed)
	}
	return document{}, errors.New("bmkgquake: input is neither JSON nor XML")
}

// kind is what the file as a whole is: which feed, which layout, and so
// which order its point/coordinates use by default.
type kind struct {
	feed   string
	legacy bool
	order  order
}

// classify recognises the feed from the content. Legacy gempadirasakan has
// its own fields (Keterangan, Posisi, <Gempa>); otherwise one record is
// autogempa, and a list is gempadirasakan when its entries carry Dirasakan
// and gempaterkini when they do not.
func classify(doc document) kind {
	k := kind{feed: FeedGempaterkini}
	feltLayout, felt := false, false
	for _, r := range doc.records {
		k.legacy = k.legacy || isLegacy(r)
		feltLayout = feltLayout || r.capital || r.has("keterangan") || r.has("posisi")
		felt = felt || r.has("dirasakan")
	}
	switch {
	case feltLayout:
		k.feed, k.legacy = FeedGempadirasakan, true
	case !doc.list:
		k.feed = FeedAutogempa
	case felt:
		k.feed = FeedGempadirasakan
	}
	if k.legacy && k.feed != FeedGempadirasakan {
		k.order = lonLat
	}
	return k
}

// isLegacy looks for what only the pre-2021 layout has.
func isLegacy(r record) bool {
	if r.has("wilayah1") || r.has("_symbol") || r.has("keterangan") || r.has("posisi") {
		return true
	}
	if r.has("datetime") {
		return false
	}
	_, clock := splitTanggal(r.get("tanggal"))
	return clock != "" || legacyDate(r.get("tanggal"))
}

// legacyDate matches "08-Nov-13" and "07/11/2013": current feeds write the
// date with spaces ("05 Okt 2021").
func legacyDate(s string) bool {
	s = collapse(s)
	return s != "" && !strings.Contains(s, " ") && strings.ContainsAny(s, "-/")
}

// event turns one record into an event, or says why it cannot.
func (k kind) event(r record) (quake.Event, error) {
	if r.bad != "" {
		return quake.Event{}, errors.New(r.bad)
	}
	e := quake.Event{Feed: k.feed, Legacy: k.legacy}
	var err error
	if e.OriginTime, err = originTime(r); err != nil {
		return quake.Event{}, err
	}
	if e.Latitude, e.Longitude, err = position(r, k.order); err != nil {
		return quake.Event{}, err
	}
	if err = fillMeasures(&e, r); err != nil {
		return quake.Event{}, err
	}
	fillText(&e, r)
	if err := quake.Check(&e, quake.BelowSurface); err != nil {
		return quake.Event{}, err
	}
	return e, nil
}

// originTime prefers DateTime, which BMKG writes in UTC, over the local
// Tanggal and Jam.
func originTime(r record) (time.Time, error) {
	if s := r.get("datetime"); collapse(s) != "" {
		return parseISO(s)
	}
	if collapse(r.get("tanggal")) == "" {
		return time.Time{}, errors.New("no time: DateTime and Tanggal are both missing")
	}
	return parseLocal(r.get("tanggal"), r.get("jam"))
}

func fillMeasures(e *quake.Event, r record) error {
	mag, magType, err := parseMagnitude(r.get("magnitude"))
	if err != nil {
		return err
	}
	e.Magnitude, e.MagnitudeType = mag, magType
	e.DepthKm, err = parseDepth(r.get("kedalaman"))
	return err
}

func fillText(e *quake.Event, r record) {
	e.Region = collapse(firstOf(r, "wilayah", "wilayah1", "keterangan"))
	for _, name := range []string{"wilayah2", "wilayah3", "wilayah4", "wilayah5"} {
		if v := collapse(r.get(name)); v != "" {
			e.Nearby = append(e.Nearby, v)
		}
	}
	e.TsunamiPotential = trimSpace(r.get("potensi"))
	e.FeltText = trimSpace(r.get("dirasakan"))
	e.Felt = parseFelt(e.FeltText)
	e.Shakemap = trimSpace(r.get("shakemap"))
}

func firstOf(r record, names ...string) string {
	for _, n := range names {
		if v := collapse(r.get(n)); v != "" {
			return v
		}
	}
	return ""
}
