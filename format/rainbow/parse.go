package rainbow

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/sniff"
)

var endXML = []byte("<!-- END XML -->")

// treeBytes is charged per byte of XML header for the tree it becomes
// (names, attributes and text copied, a node per element); encoding/xml's
// garbage, a token at a time, is not charged.
const treeBytes = 4

// sniffLen caps what Detect reads, so that it stays cheap on a whole file.
const sniffLen = 1024

// Detect reports whether data starts like a Rainbow 5 volume: an optional
// XML declaration, then a <volume> root. Rainbow product files (<product>,
// Cartesian images) are not volumes and are not detected.
func Detect(data []byte) bool {
	head := sniff.Head(data, sniffLen)
	if bytes.HasPrefix(head, []byte("<?xml")) {
		end := bytes.Index(head, []byte("?>"))
		if end < 0 {
			return false
		}
		head = bytes.TrimLeft(head[end+2:], " \t\r\n")
	}
	const root = "<volume"
	return bytes.HasPrefix(head, []byte(root)) && len(head) > len(root) &&
		bytes.IndexByte([]byte(" \t\r\n>"), head[len(root)]) >= 0
}

// Parse reads and validates the header and checks that every blob it
// refers to is present with the size the header implies, without inflating
// any. The errors wrap ErrNotRainbow, budget.ErrTooLarge, ErrTruncated,
// ErrCorrupt or ErrUnsupported.
func Parse(data []byte) (*Volume, error) {
	if err := budget.CheckSize("rainbow", int64(len(data)), MaxInputSize); err != nil {
		return nil, err
	}
	v, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("rainbow: %w", err)
	}
	return v, nil
}

func parse(data []byte) (*Volume, error) {
	if !Detect(data) {
		return nil, fmt.Errorf("%w: no <volume> root element", ErrNotRainbow)
	}
	end := bytes.Index(data, endXML)
	if end < 0 {
		return nil, fmt.Errorf("%w: no %s marker after the XML header", ErrTruncated, endXML)
	}
	b := budget.New(int64(len(data)), MemoryFactor)
	if err := b.ReserveN(int64(end), treeBytes, "the XML header"); err != nil {
		return nil, err
	}
	root, err := parseTree(data[:end])
	if err != nil {
		return nil, err
	}
	blobs, err := indexBlobs(data, end+len(endXML), b)
	if err != nil {
		return nil, err
	}
	v := &Volume{blobs: blobs, fileSize: len(data), budget: b}
	err = v.read(root)
	v.budget = nil // Decode has a budget of its own
	return v, err
}

// read fills v from the header tree.
func (v *Volume) read(vol *node) error {
	v.Version, _ = vol.attr("version")
	scan := vol.child("scan")
	if scan == nil {
		return fmt.Errorf("%w: <volume> has no <scan>", ErrCorrupt)
	}
	v.ScanName, _ = scan.attr("name")
	if err := v.readSensor(vol); err != nil {
		return err
	}
	kind, ok := vol.attr("type")
	if !ok {
		kind = typeFromName(v.ScanName)
	}
	switch kind {
	case "vol", "azi", "ele", "":
	default:
		return fmt.Errorf("%w: scan type %q (only vol, azi and ele)", ErrUnsupported, kind)
	}
	if err := v.readSweeps(vol, scan, kind == "ele"); err != nil {
		return err
	}
	switch {
	case kind == "ele":
		v.ScanType = "RHI"
	case len(v.Sweeps) > 1:
		v.ScanType = "VOLUME"
	default:
		v.ScanType = "PPI"
	}
	return nil
}

// typeFromName is the scan type a scan name such as "HDCP2.vol" implies,
// for volumes without a type attribute; "" when its extension is not one.
func typeFromName(name string) string {
	switch ext := strings.TrimPrefix(path.Ext(name), "."); ext {
	case "vol", "azi", "ele", "poi":
		return ext
	}
	return ""
}

// readSensor reads <sensorinfo>, called <radarinfo> by older versions,
// whose values are child elements in some versions and attributes in
// others.
func (v *Volume) readSensor(vol *node) error {
	s := vol.child("sensorinfo")
	if s == nil {
		s = vol.child("radarinfo")
	}
	if s == nil {
		return fmt.Errorf("%w: no <sensorinfo> or <radarinfo>: the radar's location is unknown", ErrCorrupt)
	}
	v.SiteName, _ = s.value("name")
	v.SiteCode, _ = s.value("id")
	if v.SiteCode == "" {
		v.SiteCode = v.SiteName
	}
	var err error
	if v.Latitude, err = sensorFloat(s, "lat", -90, 90); err != nil {
		return err
	}
	if v.Longitude, err = sensorFloat(s, "lon", -180, 360); err != nil {
		return err
	}
	if v.Longitude > 180 {
		v.Longitude -= 360
	}
	if v.AltitudeM, err = sensorFloat(s, "alt", -500, 10000); err != nil {
		return err
	}
	v.WavelengthM = hintFloat(s, "wavelen", 0.001, 1)
	v.BeamWidthDeg = hintFloat(s, "beamwidth", 0.01, 45)
	return nil
}

// hintFloat reads an optional value that a file without it, or with it in
// another unit, should not be refused for: either gives nil.
func hintFloat(s *node, name string, lo, hi float64) *float64 {
	p, err := optionalFloat(s, name, lo, hi)
	if err != nil {
		return nil
	}
	return p
}

func sensorFloat(s *node, name string, lo, hi float64) (float64, error) {
	p, err := optionalFloat(s, name, lo, hi)
	if err == nil && p == nil {
		err = fmt.Errorf("%w: <%s> has no %s", ErrCorrupt, s.name, name)
	}
	if err != nil {
		return 0, err
	}
	return *p, nil
}

// optionalFloat reads value name of s, nil when absent or empty, an error
// when not a number in [lo, hi].
func optionalFloat(s *node, name string, lo, hi float64) (*float64, error) {
	text, ok := s.value(name)
	if !ok || text == "" {
		return nil, nil
	}
	f, err := parseFloat(name, text)
	if err != nil {
		return nil, err
	}
	if f < lo || f > hi {
		return nil, fmt.Errorf("%w: %s %v outside [%v, %v]", ErrCorrupt, name, f, lo, hi)
	}
	return &f, nil
}
