package hdf5

import (
	"fmt"
)

// Storage classes and version 4 chunk index types of the layout message.
const (
	layoutCompact    = 0
	layoutContiguous = 1
	layoutChunked    = 2

	indexBTree1     = 0 // layout versions 1 to 3
	indexSingle     = 1
	indexImplicit   = 2
	indexFixedArray = 3
	indexExtensible = 4
	indexBTree2     = 5
)

type layout struct {
	class   uint8
	compact []byte
	addr    int64
	chunk   []int64 // chunk shape in elements, one per dataset dimension
	index   uint8
	// single chunk index with filters
	singleSize int64
	singleMask uint32
	filtered   bool
	pageBits   int // fixed array index
}

// parseLayout decodes a data layout message for a dataset of the given rank.
func (f *File) parseLayout(b []byte, rank int) (layout, error) {
	c := f.cursor(b)
	version := c.u8()
	switch version {
	case 1, 2:
		return f.layoutV1(c, rank)
	case 3, 4:
	default:
		return layout{}, fmt.Errorf("hdf5: layout message version %d not supported", version)
	}
	l := layout{class: c.u8()}
	switch l.class {
	case layoutCompact:
		l.compact = c.take(int(c.u16()))
	case layoutContiguous:
		l.addr = c.addr()
		c.length() // size: the dataspace and datatype say the same
	case layoutChunked:
		if version == 3 {
			return l, l.chunkedV3(c, rank)
		}
		return l, l.chunkedV4(c, rank)
	default:
		return l, fmt.Errorf("hdf5: %s storage is not supported", layoutName(l.class))
	}
	if c.err != nil {
		return l, fmt.Errorf("hdf5: bad layout message: %w", c.err)
	}
	return l, nil
}

func layoutName(class uint8) string {
	if class == 3 {
		return "virtual dataset"
	}
	return fmt.Sprintf("layout class %d", class)
}

// layoutV1 reads the layout message of HDF5 1.4 and earlier. Chunked
// storage in this form is refused: no sample has needed it.
func (f *File) layoutV1(c *cursor, rank int) (layout, error) {
	ndims := int(c.u8())
	l := layout{class: c.u8()}
	c.skip(5)
	switch l.class {
	case layoutCompact:
		c.skip(4 * ndims)
		l.compact = c.take(int(c.u32()))
	case layoutContiguous:
		l.addr = c.addr()
	default:
		return l, fmt.Errorf("hdf5: chunked storage in a version 1/2 layout message is not supported")
	}
	if c.err != nil {
		return l, fmt.Errorf("hdf5: bad layout message: %w", c.err)
	}
	return l, nil
}

// chunkedV3 reads a chunked layout indexed by a version 1 B-tree.
func (l *layout) chunkedV3(c *cursor, rank int) error {
	ndims := int(c.u8())
	l.addr = c.addr()
	dims := make([]int64, 0, 33)
	for i := 0; i < ndims && i < 33; i++ {
		dims = append(dims, int64(c.u32()))
	}
	if c.err != nil {
		return fmt.Errorf("hdf5: bad chunked layout: %w", c.err)
	}
	return l.setChunk(dims, rank)
}

// chunkedV4 reads a chunked layout with one of the newer chunk indexes.
func (l *layout) chunkedV4(c *cursor, rank int) error {
	flags, ndims, width := c.u8(), int(c.u8()), int(c.u8())
	if width < 1 || width > 8 {
		return fmt.Errorf("hdf5: chunk dimensions of %d bytes", width)
	}
	dims := make([]int64, 0, 33)
	for i := 0; i < ndims && i < 33; i++ {
		dims = append(dims, int64(min(c.uint(width), 1<<40)))
	}
	l.index = c.u8()
	switch l.index {
	case indexSingle:
		if flags&2 != 0 {
			l.filtered = true
			l.singleSize, l.singleMask = int64(min(c.length(), 1<<40)), c.u32()
		}
	case indexImplicit:
	case indexFixedArray:
		l.pageBits = int(c.u8())
	case indexExtensible:
		c.skip(5) // creation parameters, repeated in the array's header
	case indexBTree2:
		c.skip(6) // node size and split/merge percentages, in the tree's header
	default:
		return fmt.Errorf("hdf5: chunk index type %d not supported", l.index)
	}
	l.addr = c.addr()
	if c.err != nil {
		return fmt.Errorf("hdf5: bad chunked layout: %w", c.err)
	}
	return l.setChunk(dims, rank)
}

// setChunk checks the chunk dimensions, whose last entry is the element
// size, against the dataset's rank.
func (l *layout) setChunk(dims []int64, rank int) error {
	if len(dims) != rank+1 || rank == 0 {
		return fmt.Errorf("hdf5: %d chunk dimensions for a dataset of rank %d", len(dims), rank)
	}
	n := int64(1)
	for _, d := range dims[:rank] {
		if d <= 0 || d > maxElements/n {
			return fmt.Errorf("hdf5: chunk dimension of %d (or chunks of more than %d elements)", d, int64(maxElements))
		}
		n *= d
	}
	l.chunk = dims[:rank]
	return nil
}
