// Package miniseed reads miniSEED data records — version 2.4 (SEED
// Reference Manual v2.4, chapter 8) and version 3 (FDSN, 2023) — and joins
// them into continuous traces, and reads the overall sensitivity of each
// channel from FDSN StationXML so that counts can be turned into
// acceleration.
//
// A miniSEED 2 record is a 48-byte fixed header (sequence number, data
// quality D/R/Q/M, station, location, channel, network, start time as a
// BTIME, number of samples, sample rate factor and multiplier,
// activity/IO/quality flags, number of blockettes, time correction,
// offsets of the data and of the first blockette), a chain of blockettes,
// and the data. Blockette 1000 gives the encoding, the byte order and the
// record length 2^n and must be present: a record without it states
// neither its encoding nor its length, and is refused. Blockette 1001
// adds microseconds to the start time; blockette 100 overrides the sample
// rate. The time correction is added to the start unless activity flag
// bit 1 says it was applied. The header's own byte order is recognised
// from its start time, as libmseed does; the data's is blockette 1000's.
// SEED control headers (full SEED volumes) are refused by name.
//
// A miniSEED 3 record ("MS", version 3) is a 40-byte little-endian header
// (start time to the nanosecond, encoding, sample rate or period, sample
// count, CRC-32C, publication version, lengths), an FDSN source
// identifier FDSN:NET_STA_LOC_B_S_SS, extra headers in JSON (kept as
// text) and the payload. The CRC is checked. Other format versions are
// refused by number.
//
// Encodings 1 (int16), 3 (int32), 4 (float32), 5 (float64), 10 (Steim-1)
// and 11 (Steim-2) are decoded; the Steim decoders check the reverse
// integration constant Xn against the last sample of every record. Text
// records (encoding 0, such as LOG channels) are skipped and listed in
// Volume.Skipped. Other encodings (the older SRO/DWWSSN/CDSN/GEOSCOPE
// ones, Steim-3, int24) are refused.
//
// Records are grouped by network, station, location and channel, ordered
// by start time, and appended to a trace while each starts within half a
// sample period of where the previous one ended. Any other step is reported
// as a Gap (a negative one is an overlap) and starts a new trace; overlaps
// are not merged. A change of sample rate starts a new trace too.
package miniseed
