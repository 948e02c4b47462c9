// Package knet reads the ASCII accelerograms of NIED's K-NET and KiK-net
// strong-motion networks (Japan), one component per file (.EW, .NS, .UD;
// KiK-net .EW1/.NS1/.UD1 borehole and .EW2/.NS2/.UD2 surface).
//
// A file has 17 header lines, each a label in the first 18 columns and a
// value after it, in this order: Origin Time, Lat., Long., Depth. (km),
// Mag., Station Code, Station Lat., Station Long., Station Height(m),
// Record Time, Sampling Freq(Hz), Duration Time(s), Dir., Scale Factor,
// Max. Acc. (gal), Last Correction, Memo. (NIED's current description
// spells three labels "Lon.", "Station Lon." and "Max Acc. (gal)"; both
// spellings are read.) Then come integer counts, eight per line.
//
// Times are Japan Standard Time (UTC+9) and are converted to UTC. NIED's
// format description says the Record Time "includes the effect of
// 15-second trigger delay in the data logger": the first sample is at
// Record Time − 15 s (the correction ObsPy and gmprocess apply). Last
// Correction is the time the logger's clock was last corrected; it is
// kept in the Header but not used for the start time (in NIED's example
// it is 15 s before the Record Time, in KiK-net's example 40 minutes
// before, in our sample equal to it).
//
// Dir. is "E-W", "N-S", "U-D" for K-NET and the sensor channel 1 to 6 for
// KiK-net: 1–3 are the borehole NS, EW, UD (channels NS1, EW1, UD1) and
// 4–6 the surface ones (NS2, EW2, UD2). A Station Height of -9999 means
// the altitude is unknown. The Scale Factor "N(gal)/D" gives acceleration
// as count × N / D gal; the header's Max. Acc. is the largest absolute
// value after the mean of the record is removed, which is what
// strongmotion.PGA computes.
//
// Records get the FDSN network code BO (NIED).
package knet
