// Package sac reads evenly sampled time series in SAC format (Seismic
// Analysis Code), as written by SAC, ObsPy and many data centres: binary
// with header version 6 or 7, in either byte order, and alphanumeric.
//
// A binary file is a 632-byte header — 70 float32 words, 40 int32 words
// (the last five logical), 24 eight-character strings of which KEVNM
// takes two — followed by NPTS float32 samples. The byte order is that of
// the writer; it is recognised, as SAC and ObsPy do, by finding the header
// version NVHDR (6 or 7) at word 76 read in one order or the other.
// Version 7 (SAC 102) appends a footer of 22 doubles after the samples;
// its DELTA, B, E and event and station coordinates replace the header's
// single-precision ones. The file must be exactly header + samples
// (+ footer) long. The alphanumeric format writes the same header as text
// (5G15.7 floats, 5I10 integers, A8/A16 strings) and the samples five per
// line; it keeps seven significant digits.
//
// The first sample is at the reference time (NZYEAR, NZJDAY, NZHOUR,
// NZMIN, NZSEC, NZMSEC) plus B seconds. SAC's "undefined" (-12345, or the
// string "-12345") reads as absent. Only time series are read: IFTYPE must
// be ITIME and LEVEN true (left undefined, they take SAC's defaults, which
// are those); spectral and x-y files, unevenly sampled files and an
// undefined reference time or B are refused with an error naming the
// field.
//
// SAC's IDEP names the quantity (IACC for acceleration) but not the unit:
// the format's manual says nm/s², yet producers commonly write g (the
// Community Seismic Network) or m/s². Parse therefore takes the unit from
// the caller.
package sac
