// Package miniseed reads miniSEED 2.4 data records (SEED Reference Manual
// v2.4, chapter 8) and joins them into continuous traces, and reads the
// overall sensitivity of each channel from FDSN StationXML so that counts
// can be turned into acceleration.
//
// A record is a 48-byte fixed header (sequence number, data quality
// D/R/Q/M, station, location, channel, network, start time as a BTIME,
// number of samples, sample rate factor and multiplier, activity/IO/quality
// flags, number of blockettes, time correction, offsets of the data and of
// the first blockette), a chain of blockettes, and the data. Blockette 1000
// gives the encoding, the byte order and the record length 2^n and must be
// present; blockette 1001 adds microseconds to the start time; blockette
// 100 overrides the sample rate. The header's own byte order is recognised
// from its start time, as libmseed does.
//
// Encodings 1 (int16), 3 (int32), 4 (float32), 5 (float64), 10 (Steim-1)
// and 11 (Steim-2) are decoded; the Steim decoders check the reverse
// integration constant Xn against the last sample of every record. ASCII
// text (0), the older SRO/DWWSSN/CDSN/GEOSCOPE encodings and compressed
// miniSEED 3 are not supported.
//
// Records are grouped by network, station, location and channel, ordered
// by start time, and appended to a trace while each starts within half a
// sample period of where the previous one ended. Any other step is reported
// as a Gap (a negative one is an overlap) and starts a new trace; overlaps
// are not merged.
package miniseed
