package hdf5

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/bmkg/mkggraph/format/budget"
)

// MaxInputSize is the largest file Open accepts.
const MaxInputSize = 1 << 30

// MemoryFactor sets the memory budget of an open file (see format/budget):
// everything it reads and decodes, over all its datasets, may take at most
// MemoryFactor times the file's size plus budget.Base. Reading every
// dataset of the real samples charges 1.2 to 8 bytes per byte (8 for files
// of 1×1 chunks, 4.1 for the GLM granule, 2.9 for the JMA volume, whose
// float32 moment is widened to float64); the factor leaves room for what
// deflate lets a file hold beyond its size, which the samples barely use.
const MemoryFactor = 32

// magic opens the superblock.
var magic = []byte("\x89HDF\r\n\x1a\n")

// Detect reports whether b, the start of a file, holds an HDF5 superblock
// at offset 0 (netCDF-4 files always start there; files with a user block
// are found by Open but not sniffed here).
func Detect(b []byte) bool { return bytes.HasPrefix(b, magic) }

// File is an open HDF5 file. It holds no mutable state after Open, so its
// methods may be called concurrently if the underlying ReaderAt allows it.
type File struct {
	r        io.ReaderAt
	size     int64
	base     int64 // absolute offset of the superblock; addresses are relative to it
	offSize  int
	lenSize  int
	rootAddr int64
	version  int
	budget   *budget.Budget
}

// Open reads the superblock. The superblock may follow a user block of
// 512, 1024, 2048, ... bytes, as the specification allows.
func Open(r io.ReaderAt, size int64) (*File, error) {
	if err := budget.CheckSize("hdf5", size, MaxInputSize); err != nil {
		return nil, err
	}
	f := &File{r: r, size: size, budget: budget.New(size, MemoryFactor)}
	for base := int64(0); base+int64(len(magic)) <= size; base = nextBase(base) {
		sig := make([]byte, len(magic))
		if _, err := r.ReadAt(sig, base); err != nil {
			return nil, fmt.Errorf("hdf5: reading superblock: %w", err)
		}
		if bytes.Equal(sig, magic) {
			f.base = base
			if err := f.readSuperblock(); err != nil {
				return nil, err
			}
			return f, nil
		}
	}
	return nil, errors.New("hdf5: no superblock signature (not an HDF5 file)")
}

func nextBase(b int64) int64 {
	if b == 0 {
		return 512
	}
	return b * 2
}

// Budget is the file's memory budget, which every read charges; callers
// charge it too for what they derive from the data, so that one budget
// bounds a whole parse.
func (f *File) Budget() *budget.Budget { return f.budget }

// Root is the root group.
func (f *File) Root() *Group { return &Group{f: f, addr: f.rootAddr, name: "/"} }

func (f *File) readSuperblock() error {
	head, err := f.readAbs(f.base, min(f.size-f.base, 128))
	if err != nil {
		return err
	}
	if len(head) < 10 {
		return errShort
	}
	f.version = int(head[8])
	switch f.version {
	case 0, 1:
		return f.superblockV0(head)
	case 2, 3:
		return f.superblockV2(head)
	}
	return fmt.Errorf("hdf5: superblock version %d not supported", f.version)
}

// superblockV0 reads versions 0 and 1, which end in the root group's
// symbol table entry. Only its object header address is needed: the
// header's symbol table message says the same as the entry's scratch pad.
func (f *File) superblockV0(head []byte) error {
	c := &cursor{b: head, off: 13}
	f.offSize, f.lenSize = int(c.u8()), int(c.u8())
	if err := f.checkSizes(); err != nil {
		return err
	}
	c.offSize, c.lenSize = f.offSize, f.lenSize
	c.skip(1 + 2 + 2 + 4) // reserved, group K values, consistency flags
	if f.version == 1 {
		c.skip(4) // indexed storage K, reserved
	}
	c.skip(2 * f.offSize) // base, free space
	eof := c.addr()
	c.skip(f.offSize) // driver info
	c.skip(f.offSize) // root entry: link name offset
	f.rootAddr = c.addr()
	if c.err != nil {
		return c.err
	}
	return f.checkEnd(eof)
}

// checkEnd compares the end-of-file address the superblock states with
// the file's size: the specification keeps it for detecting truncation,
// and a truncated file is refused whole rather than read in part.
func (f *File) checkEnd(eof int64) error {
	if eof != undef && f.base+eof > f.size {
		return fmt.Errorf("hdf5: truncated: the superblock says the file ends at byte %d, but it has %d bytes", f.base+eof, f.size)
	}
	return nil
}

func (f *File) superblockV2(head []byte) error {
	c := &cursor{b: head, off: 9}
	f.offSize, f.lenSize = int(c.u8()), int(c.u8())
	if err := f.checkSizes(); err != nil {
		return err
	}
	c.offSize, c.lenSize = f.offSize, f.lenSize
	c.skip(1)             // consistency flags
	c.skip(2 * f.offSize) // base, superblock extension
	eof := c.addr()
	f.rootAddr = c.addr()
	if c.err != nil {
		return c.err
	}
	return f.checkEnd(eof)
}

func (f *File) checkSizes() error {
	for _, n := range []int{f.offSize, f.lenSize} {
		if n != 2 && n != 4 && n != 8 {
			return fmt.Errorf("hdf5: size of offsets/lengths %d not supported", n)
		}
	}
	return nil
}

// maxRead bounds any single structure read. Datasets are read chunk by
// chunk and bounded separately.
const maxRead = MaxInputSize

// readAt reads n bytes at a file address (relative to the base), checking
// both against the file size before allocating.
func (f *File) readAt(addr int64, n int64) ([]byte, error) {
	if addr == undef {
		return nil, errors.New("hdf5: undefined address")
	}
	if addr < 0 || addr > f.size-f.base {
		return nil, fmt.Errorf("hdf5: address %d outside the file", addr)
	}
	return f.readAbs(f.base+addr, n)
}

func (f *File) readAbs(off, n int64) ([]byte, error) {
	if n < 0 || n > maxRead || off < 0 || off > f.size || n > f.size-off {
		return nil, fmt.Errorf("hdf5: %d bytes at offset %d run past the end of the file (%d bytes)", n, off, f.size)
	}
	if err := f.budget.Reserve(n, "hdf5: reading the file's structures"); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := f.r.ReadAt(b, off); err != nil && !(errors.Is(err, io.EOF) && off+n == f.size) {
		return nil, fmt.Errorf("hdf5: reading %d bytes at %d: %w", n, off, err)
	}
	return b, nil
}

// readUpTo reads at most n bytes at addr, fewer if the file ends first.
// Structures whose length is only known after their header use it.
func (f *File) readUpTo(addr int64, n int64) ([]byte, error) {
	if addr >= 0 && addr <= f.size-f.base {
		n = min(n, f.size-f.base-addr)
	}
	return f.readAt(addr, n)
}
