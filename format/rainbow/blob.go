package rainbow

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/bmkg/mkggraph/format/budget"
)

var (
	blobOpen  = []byte("<BLOB")
	blobClose = []byte("</BLOB>")
)

// blobEntry is charged per blob for its entry in the index.
const blobEntry = 64

// maxBlobTag bounds the search for the '>' that ends a <BLOB ...> tag.
const maxBlobTag = 256

// maxDeflateRatio is an upper bound on how far deflate can expand (1032:1
// in theory). A qCompress length claiming more than this from the bytes
// present is a lie, caught before anything is allocated.
const maxDeflateRatio = 1040

// indexBlobs reads the binary part of the file block by block, recording
// where each blob's payload lies. A size attribute that does not land on
// </BLOB> is an error, which is how a lying header is caught.
func indexBlobs(data []byte, pos int, b *budget.Budget) (map[int]blob, error) {
	blobs := map[int]blob{}
	for {
		pos = skipSpace(data, pos)
		if pos == len(data) {
			return blobs, nil
		}
		if !bytes.HasPrefix(data[pos:], blobOpen) {
			if bytes.HasPrefix(blobOpen, data[pos:]) {
				return nil, fmt.Errorf("%w: file ends inside a <BLOB> tag", ErrTruncated)
			}
			return nil, fmt.Errorf("%w: byte %d: expected <BLOB>, found %q", ErrCorrupt, pos, clip(data[pos:]))
		}
		id, bl, next, err := readBlob(data, pos, b)
		if err == nil {
			err = b.Reserve(blobEntry, "the blob index")
		}
		if err != nil {
			return nil, err
		}
		if _, dup := blobs[id]; dup {
			return nil, fmt.Errorf("%w: blob %d appears twice", ErrCorrupt, id)
		}
		blobs[id] = bl
		pos = next
	}
}

// readBlob reads the block starting at pos and returns the offset after it.
func readBlob(data []byte, pos int, bud *budget.Budget) (id int, b blob, next int, err error) {
	end := bytes.IndexByte(data[pos:min(len(data), pos+maxBlobTag)], '>')
	if end < 0 {
		if len(data)-pos < maxBlobTag {
			return 0, b, 0, fmt.Errorf("%w: file ends inside a <BLOB> tag", ErrTruncated)
		}
		return 0, b, 0, fmt.Errorf("%w: byte %d: unterminated <BLOB> tag", ErrCorrupt, pos)
	}
	id, size, compressed, err := blobTag(data[pos : pos+end+1])
	if err != nil {
		return 0, b, 0, err
	}
	start := skipNewline(data, pos+end+1)
	if size > len(data)-start {
		return 0, b, 0, fmt.Errorf("%w: blob %d declares %d bytes but %d remain", ErrTruncated, id, size, len(data)-start)
	}
	after := skipNewline(data, start+size)
	if !bytes.HasPrefix(data[after:], blobClose) {
		if bytes.HasPrefix(blobClose, data[after:]) {
			return 0, b, 0, fmt.Errorf("%w: blob %d has no </BLOB>", ErrTruncated, id)
		}
		return 0, b, 0, fmt.Errorf("%w: blob %d: %d bytes from its start is not </BLOB>: size attribute wrong", ErrCorrupt, id, size)
	}
	b = blob{off: start, size: size, length: size, compressed: compressed}
	if compressed {
		if b.length, err = qtLength(id, data[start:start+size], bud); err != nil {
			return 0, b, 0, err
		}
	}
	return id, b, after + len(blobClose), nil
}

// blobTag reads the attributes of <BLOB blobid="n" size="s" compression="qt">.
func blobTag(tag []byte) (id, size int, compressed bool, err error) {
	attrs := tagAttrs(tag)
	id, err1 := strconv.Atoi(attrs["blobid"])
	size, err2 := strconv.Atoi(attrs["size"])
	if err1 != nil || err2 != nil || id < 0 || size < 0 {
		return 0, 0, false, fmt.Errorf("%w: bad blob tag %q", ErrCorrupt, clip(tag))
	}
	switch c := attrs["compression"]; c {
	case "qt":
		return id, size, true, nil
	case "", "none":
		return id, size, false, nil
	default:
		return 0, 0, false, fmt.Errorf("%w: blob %d compression %q", ErrUnsupported, id, c)
	}
}

// tagAttrs reads key="value" pairs; the blob tags are written by one
// program and hold nothing an XML parser would be needed for.
func tagAttrs(tag []byte) map[string]string {
	attrs := map[string]string{}
	for {
		eq := bytes.IndexByte(tag, '=')
		if eq < 0 || eq+1 >= len(tag) || tag[eq+1] != '"' {
			return attrs
		}
		key := bytes.Fields(tag[:eq])
		rest := tag[eq+2:]
		q := bytes.IndexByte(rest, '"')
		if len(key) == 0 || q < 0 {
			return attrs
		}
		attrs[string(key[len(key)-1])] = string(rest[:q])
		tag = rest[q+1:]
	}
}

// checkBlob verifies, without inflating, that blob id exists and holds
// want bytes of data (for bit maps, which may be padded by row, from lo to
// want).
func (v *Volume) checkBlob(id, lo, want int) error {
	b, ok := v.blobs[id]
	if !ok {
		return fmt.Errorf("%w: blob %d is referenced but missing", ErrTruncated, id)
	}
	if b.length < lo || b.length > want {
		return fmt.Errorf("%w: blob %d holds %d bytes, header declares %d", ErrCorrupt, id, b.length, want)
	}
	return nil
}

// qtLength reads the qCompress length prefix of a payload and checks what
// can be checked without inflating: that inflating fits the budget, a zlib
// header, and a length deflate could reach from the bytes present.
func qtLength(id int, payload []byte, b *budget.Budget) (int, error) {
	if len(payload) < 4 {
		return 0, fmt.Errorf("%w: blob %d too short for its length prefix", ErrCorrupt, id)
	}
	n := int64(binary.BigEndian.Uint32(payload))
	z := payload[4:]
	if n == 0 {
		return 0, nil
	}
	if err := b.Check(n, fmt.Sprintf("blob %d", id)); err != nil {
		return 0, err
	}
	if len(z) < 2 || z[0]&0x0f != 8 || (uint(z[0])<<8|uint(z[1]))%31 != 0 {
		return 0, fmt.Errorf("%w: blob %d is not a zlib stream", ErrCorrupt, id)
	}
	if n > int64(len(z))*maxDeflateRatio {
		return 0, fmt.Errorf("%w: blob %d claims %d bytes from %d compressed", ErrCorrupt, id, n, len(z))
	}
	return int(n), nil
}

// inflate returns want bytes inflated from a qCompress payload, refusing a
// stream that inflates to more or fewer.
func inflate(id int, payload []byte, want int, b *budget.Budget) ([]byte, error) {
	if n, err := qtLength(id, payload, b); err != nil {
		return nil, err
	} else if n != want {
		return nil, fmt.Errorf("%w: blob %d holds %d bytes, header declares %d", ErrCorrupt, id, n, want)
	}
	if want == 0 {
		return nil, nil
	}
	if err := b.Reserve(int64(want), fmt.Sprintf("blob %d", id)); err != nil {
		return nil, err
	}
	zr, err := zlib.NewReader(bytes.NewReader(payload[4:]))
	if err != nil {
		return nil, fmt.Errorf("%w: blob %d: %v", ErrCorrupt, id, err)
	}
	out := make([]byte, want)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, fmt.Errorf("%w: blob %d inflates to fewer than %d bytes: %v", ErrCorrupt, id, want, err)
	}
	var one [1]byte
	if n, err := io.ReadFull(zr, one[:]); n > 0 {
		return nil, fmt.Errorf("%w: blob %d inflates past its declared %d bytes", ErrCorrupt, id, want)
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: blob %d: %v", ErrCorrupt, id, err)
	}
	return out, nil
}

func skipSpace(data []byte, pos int) int {
	for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\r' || data[pos] == '\n' || data[pos] == 0) {
		pos++
	}
	return pos
}

// skipNewline skips the one line break the writer puts after a <BLOB> tag.
func skipNewline(data []byte, pos int) int {
	if bytes.HasPrefix(data[pos:], []byte("\r\n")) {
		return pos + 2
	}
	if pos < len(data) && data[pos] == '\n' {
		return pos + 1
	}
	return pos
}

// clip shortens b for an error message.
func clip(b []byte) []byte {
	return b[:min(len(b), 40)]
}
