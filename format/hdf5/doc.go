// Package hdf5 reads a subset of the HDF5 file format (File Format
// Specification version 3.0), enough to catalogue netCDF-4 files such as
// CfRadial radar volumes and GOES GLM lightning granules, in pure Go and
// read-only.
//
// Supported: superblock versions 0 to 3, found at offset 0 or after a user
// block of 512·2^n bytes; object headers versions 1 and 2 with
// continuation blocks (checksums are not verified); groups stored as
// symbol tables (version 1 B-tree and local heap), as link messages, and
// densely (fractal heap indexed by a version 2 B-tree), hard links only;
// attributes in attribute messages and dense attribute storage;
// fixed-point, IEEE-style floating-point (1 to 8 bytes, either byte
// order), fixed-length and variable-length strings (global heap);
// scalar, simple and null dataspaces; compact, contiguous and chunked
// storage, with chunks indexed by a version 1 B-tree (layout version 3)
// or, for layout version 4, a single chunk, the implicit index, a fixed
// array (paged or not), an extensible array or a version 2 B-tree, chunks
// numbered over the maximum dimensions as the library does; the deflate,
// shuffle and Fletcher-32 filters (the checksum is verified); fill values
// for unwritten storage.
//
// Not supported, reported as errors naming the structure: compound,
// reference, enumerated, array, opaque, bitfield and time datatypes when
// read as data (as attribute values they become Unsupported), shared or
// committed datatypes, soft and external links (skipped), huge fractal
// heap objects, filtered fractal heaps, paged data blocks an extensible
// array's index block points to (the library never writes them with its
// default parameters), chunked storage in layout messages version 1 and 2,
// virtual datasets, and filters other than the three above, named in the
// error (szip, n-bit, scale-offset, plugins such as LZF or Blosc).
//
// The reader trusts nothing in the file: every address and size is
// checked against the file size before anything is allocated or read,
// decoded data is bounded by what the layout says it must be, everything
// read or decoded is first charged to the file's memory budget
// (MemoryFactor, format/budget), and every walk over linked structures
// (continuation blocks, B-tree nodes, heap blocks) stops on a repeat or
// past a fixed bound. ReadRows reads a run of rows, decoding only the
// chunks that hold them; Values keep elements at their stored width.
package hdf5
