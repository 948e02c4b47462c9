package miniseed

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math"
	"strings"
	"time"
)

// miniSEED 3 (FDSN, 2023): a 40-byte little-endian fixed header, then the
// source identifier, the extra headers (JSON) and the data payload.
//
//	0 "MS"  2 version (3)  3 flags  4 nanosecond u32  8 year u16  10 day u16
//	12 hour  13 minute  14 second  15 encoding  16 sample rate f64 (Hz, or
//	the period in s when negative)  24 samples u32  28 CRC-32C u32
//	32 publication version  33 identifier length  34 extra headers length u16
//	36 payload length u32
//
// The CRC covers the whole record with its own field zeroed. Integer and
// float payloads are little-endian, Steim frames big-endian.
const ms3HeaderLen = 40

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// isMS3 reports whether b starts with a miniSEED 3 record.
func isMS3(b []byte) bool {
	return len(b) >= 3 && b[0] == 'M' && b[1] == 'S' && b[2] == 3
}

// readRecord3 parses the miniSEED 3 record at data[off:].
func readRecord3(data []byte, off int) (RecordHeader, error) {
	b := data[off:]
	fail := func(format string, args ...any) (RecordHeader, error) {
		return RecordHeader{}, fmt.Errorf("miniseed: miniSEED 3 record at offset %d: %s", off, fmt.Sprintf(format, args...))
	}
	if len(b) < ms3HeaderLen {
		return fail("truncated fixed header (%d bytes)", len(b))
	}
	le := binary.LittleEndian
	idLen, extraLen, dataLen := int(b[33]), int(le.Uint16(b[34:])), int64(le.Uint32(b[36:]))
	total := int64(ms3HeaderLen+idLen+extraLen) + dataLen
	if total > int64(len(b)) {
		return fail("truncated: length %d, %d bytes left", total, len(b))
	}
	rec := b[:total]
	crc := crc32.Update(crc32.Update(crc32.Checksum(rec[:28], castagnoli), castagnoli, make([]byte, 4)), castagnoli, rec[32:])
	if want := le.Uint32(b[28:]); crc != want {
		return fail("CRC-32C %08x, header says %08x", crc, want)
	}
	h := RecordHeader{Offset: off, MiniSEED3: true, Flags: b[3], PublicationVersion: b[32], Encoding: b[15],
		Samples: int(le.Uint32(b[24:])), DataOffset: ms3HeaderLen + idLen + extraLen, RecordLength: int(total),
		headerOrder: le, HeaderOrder: orderName(le), dataOrder: le}
	if h.Encoding == EncodingSteim1 || h.Encoding == EncodingSteim2 {
		h.dataOrder = binary.BigEndian
	}
	h.DataOrder = orderName(h.dataOrder)
	var err error
	h.SourceID = string(rec[ms3HeaderLen : ms3HeaderLen+idLen])
	if h.Network, h.Station, h.Location, h.Channel, err = splitSID(h.SourceID); err != nil {
		return fail("%v", err)
	}
	if extraLen > 0 {
		extra := rec[ms3HeaderLen+idLen : h.DataOffset]
		if !json.Valid(extra) {
			return fail("extra headers are not valid JSON")
		}
		h.ExtraHeaders = string(extra)
	}
	switch r := math.Float64frombits(le.Uint64(b[16:])); {
	case r > 0:
		h.SampleRateHz = r
	case r < 0:
		h.SampleRateHz = -1 / r
	}
	ns := le.Uint32(b[4:])
	if ns > 999_999_999 {
		return fail("nanosecond %d out of range", ns)
	}
	start, err := btimeParts(int(le.Uint16(b[8:])), int(le.Uint16(b[10:])), int(b[12]), int(b[13]), int(b[14]))
	if err != nil {
		return fail("%v", err)
	}
	h.Start = start.Add(time.Duration(ns))
	if err := h.check(len(b)); err != nil {
		return RecordHeader{}, err
	}
	return h, nil
}

// splitSID splits an FDSN source identifier, FDSN:NET_STA_LOC_B_S_SS, into
// SEED codes. As libmseed does, band, source and subsource of one
// character each make a three-letter channel; otherwise the channel is
// B_S_SS.
func splitSID(sid string) (net, sta, loc, cha string, err error) {
	rest, ok := strings.CutPrefix(sid, "FDSN:")
	p := strings.Split(rest, "_")
	if !ok || len(p) != 6 {
		return "", "", "", "", fmt.Errorf("source identifier %.40q is not FDSN:NET_STA_LOC_B_S_SS", sid)
	}
	for _, s := range p {
		if _, err := code([]byte(s)); err != nil {
			return "", "", "", "", err
		}
	}
	cha = p[3] + p[4] + p[5]
	if len(p[3]) > 1 || len(p[4]) > 1 || len(p[5]) > 1 {
		cha = p[3] + "_" + p[4] + "_" + p[5]
	}
	return p[0], p[1], p[2], cha, nil
}
