// Package netcdf reads the classic netCDF formats as written by the
// netCDF-3 library and its many re-implementations: CDF-1 (classic),
// CDF-2 (64-bit offset) and CDF-5 (64-bit data), following Unidata's
// "NetCDF Classic Format Specification".
//
// Open reads only the header and checks it against the size of the input:
// every count is weighed against the bytes that remain before anything is
// allocated, the header may not exceed MaxHeaderSize, and every variable's
// data must lie inside the input. Data is read on demand with ReadFloat64,
// so a caller that needs one variable of a large file reads one variable.
//
// Variable sizes are computed from the shape, as the netCDF-C library does;
// the vsize recorded in the header is redundant (the specification says
// so) and is kept as StatedVSize, not trusted. No two variables may share
// bytes, and within a record each record
// variable's slice must fit the record size: a header that lies about
// sizes is refused, saying which variable and why. Record variables are
// interleaved record by record; when there is exactly one record variable
// its records are packed without padding, as the specification requires.
// A numrecs of 0xFFFFFFFF (streaming) is replaced by the number of whole
// records the input holds.
//
// Values are returned raw; FillValue gives the _FillValue, or the type's
// default fill, to compare them with.
//
// netCDF-4 files are HDF5 files and are not read; IsHDF5 recognises them so
// that callers can say so, and Open returns ErrHDF5 for them.
package netcdf
