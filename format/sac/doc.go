// Package sac reads evenly sampled time series in the binary SAC format
// (Seismic Analysis Code, header version 6), as written by SAC, ObsPy and
// many data centres.
//
// A file is a 632-byte header — 70 float32 words, 40 int32 words (the
// last five logical), 24 eight-character strings of which KEVNM takes two
// — followed by NPTS float32 samples. The byte order is that of the writer;
// it is recognised by finding the header version NVHDR = 6 at word 76.
//
// SAC's IDEP names the quantity (IACC for acceleration) but not the unit:
// the format's manual says nm/s², yet producers commonly write g (the
// Community Seismic Network) or m/s². Parse therefore takes the unit from
// the caller.
//
// Not supported: header version 7 (SAC 102's double-precision footer),
// unevenly sampled or spectral files (LEVEN false, IFTYPE other than ITIME).
package sac
