// Package knet reads the ASCII accelerograms of NIED's K-NET and KiK-net
// strong-motion networks (Japan), one component per file (.EW, .NS, .UD;
// KiK-net .EW1/.NS1/.UD1 borehole and .EW2/.NS2/.UD2 surface).
//
// A file has 17 header lines, each a label in the first 18 columns and a
// value after it, in this order: Origin Time, Lat., Long., Depth. (km),
// Mag., Station Code, Station Lat., Station Long., Station Height(m),
// Record Time, Sampling Freq(Hz), Duration Time(s), Dir., Scale Factor,
// Max. Acc. (gal), Last Correction, Memo. Then come integer counts, eight
// per line.
//
// Times are Japan Standard Time (UTC+9) and are converted to UTC. The
// Record Time is the time written by the data logger, which adds a 15 s
// delay: the first sample is 15 s earlier (the same correction ObsPy and
// gmprocess apply). The Scale Factor "N(gal)/D" gives acceleration as
// count × N / D gal; the header's Max. Acc. is the largest absolute value
// after the mean of the record is removed, which is what
// strongmotion.PGA computes.
//
// Records get the FDSN network code BO (NIED).
package knet
