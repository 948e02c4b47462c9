// Package rainbow reads Gematronik/Leonardo Rainbow 5 polar radar files
// (.vol volumes, .azi azimuth scans, .ele elevation scans).
//
// A file is an XML header, ended by the line "<!-- END XML -->", followed by
// binary blocks <BLOB blobid="n" size="s" compression="qt"> + s bytes +
// </BLOB>. With compression "qt" the s bytes are Qt's qCompress output: a
// 4-byte big-endian uncompressed length, then a zlib stream; without a
// compression attribute (or "none") they are the data itself.
//
// Parse reads the header and checks every blob the header refers to without
// inflating any of them: the framing (the declared size must land on
// </BLOB>), the qCompress length against rays*bins*depth/8, and the zlib
// header. Decode inflates one moment of one sweep, never past that length.
//
// Semantics, following xradar (the reader that succeeded wradlib's):
//
//   - Scan type: "vol" is a volume of PPI sweeps, "azi" an azimuth scan (one
//     PPI: the antenna turns in azimuth at the fixed elevation <posangle>),
//     "ele" an elevation scan (RHI: the antenna moves in elevation at the
//     fixed azimuth <posangle>). Pointing mode ("poi") is refused. A
//     volume without a type attribute takes it from the scan name's
//     extension ("HDCP2.vol").
//   - A slice states only what differs from the first slice, which in turn
//     falls back to the scan's <pargroup>, so parameters are looked up slice,
//     first slice, pargroup. Ranges are in km in the file.
//   - Data value = min + (raw-1)*(max-min)/(2^depth-2), raw 0 = no data. So
//     raw 1 is min and the largest raw value is max: for dBZ with min -31.5
//     and max 95.5 at 8 bits this is the classic 0.5 dB step. (wradlib's
//     legacy notebook used min + raw*(max-min)/2^depth, which is off by up to
//     one step at the top of the scale.)
//   - Ray angle = raw*360/2^depth. A ray's centre is (start+stop)/2 when the
//     file has stopangle rays, else start + anglestep/2 (negative when
//     <antdirection> is non-zero). Elevations above 180 degrees are read as
//     negative.
//   - Times are UTC: each sweep's <slicedata date time>, else the slice's
//     <slicedate>/<slicetime>, else the scan's, else the volume's datetime.
package rainbow
