package hdf5

import (
	"fmt"
)

// Header message types used by this package.
const (
	msgNil          = 0x00
	msgDataspace    = 0x01
	msgLinkInfo     = 0x02
	msgDatatype     = 0x03
	msgFillOld      = 0x04
	msgFill         = 0x05
	msgLink         = 0x06
	msgLayout       = 0x08
	msgFilters      = 0x0B
	msgAttribute    = 0x0C
	msgContinuation = 0x10
	msgSymbolTable  = 0x11
	msgAttrInfo     = 0x15
)

// Limits on object headers, far above what writers produce, so that a
// corrupt chain of continuation blocks cannot run on.
const (
	maxMessages    = 1 << 16
	maxHeaderBlock = 1 << 24
	maxHeaderParts = 4096
)

type message struct {
	typ   uint16
	flags uint8
	order int64 // creation order if the header tracks it, else -1
	data  []byte
}

// object is a parsed object header: its messages, in file order.
type object struct {
	addr    int64
	flagsV2 uint8 // version 2 header flags; 0 for version 1
	msgs    []message
}

// find returns the first message of a type, or nil.
func (o *object) find(typ uint16) *message {
	for i := range o.msgs {
		if o.msgs[i].typ == typ {
			return &o.msgs[i]
		}
	}
	return nil
}

// readObject parses the object header at addr, following continuation
// messages. Checksums of version 2 headers are not verified: a corrupt
// header still fails on its structure.
func (f *File) readObject(addr int64) (*object, error) {
	prefix, err := f.readUpTo(addr, 16)
	if err != nil {
		return nil, err
	}
	o := &object{addr: addr}
	var conts []block
	if len(prefix) >= 4 && string(prefix[:4]) == "OHDR" {
		conts, err = f.objectV2(o, addr)
	} else if len(prefix) >= 1 && prefix[0] == 1 {
		conts, err = f.objectV1(o, addr)
	} else {
		return nil, fmt.Errorf("hdf5: no object header at address %d", addr)
	}
	if err != nil {
		return nil, err
	}
	if err := f.followContinuations(o, conts, prefix[0] == 1); err != nil {
		return nil, err
	}
	return o, nil
}

// block is a continuation block: where it is and how long.
type block struct{ addr, size int64 }

func (f *File) followContinuations(o *object, conts []block, v1 bool) error {
	seen := map[int64]bool{o.addr: true}
	for i := 0; i < len(conts); i++ {
		b := conts[i]
		if seen[b.addr] || i >= maxHeaderParts {
			return fmt.Errorf("hdf5: object header %d: continuation blocks loop", o.addr)
		}
		seen[b.addr] = true
		if b.size > maxHeaderBlock {
			return fmt.Errorf("hdf5: object header continuation of %d bytes", b.size)
		}
		data, err := f.readAt(b.addr, b.size)
		if err != nil {
			return err
		}
		var more []block
		if v1 {
			more, err = f.messagesV1(o, data)
		} else {
			if len(data) < 8 || string(data[:4]) != "OCHK" {
				return fmt.Errorf("hdf5: object header %d: continuation block without OCHK signature", o.addr)
			}
			more, err = f.messagesV2(o, data[4:len(data)-4], o.trackOrder())
		}
		if err != nil {
			return err
		}
		conts = append(conts, more...)
	}
	return nil
}

// trackOrder is whether version 2 message headers carry a creation order
// field, in the first chunk and in every continuation block alike.
func (o *object) trackOrder() bool { return o.flagsV2&0x04 != 0 }

func (f *File) objectV1(o *object, addr int64) ([]block, error) {
	head, err := f.readAt(addr, 16)
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.skip(2)
	c.u16() // number of messages: the blocks themselves are authoritative
	c.u32() // reference count
	size := int64(c.u32())
	if size > maxHeaderBlock {
		return nil, fmt.Errorf("hdf5: object header %d claims %d bytes", addr, size)
	}
	// The 12-byte prefix is padded to 16 so messages are 8-byte aligned.
	data, err := f.readAt(addr+16, size)
	if err != nil {
		return nil, err
	}
	return f.messagesV1(o, data)
}

func (f *File) messagesV1(o *object, data []byte) ([]block, error) {
	c := f.cursor(data)
	var conts []block
	for c.left() >= 8 {
		typ, size, flags := c.u16(), int(c.u16()), c.u8()
		c.skip(3)
		body := c.take(size)
		if c.err != nil {
			return nil, fmt.Errorf("hdf5: object header %d: message of %d bytes overruns its block", o.addr, size)
		}
		cont, err := o.add(f, message{typ, flags, -1, body})
		if err != nil {
			return nil, err
		}
		conts = append(conts, cont...)
	}
	return conts, nil
}

func (f *File) objectV2(o *object, addr int64) ([]block, error) {
	head, err := f.readUpTo(addr, 4+2+16+4+8)
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.skip(4)
	if v := c.u8(); v != 2 {
		return nil, fmt.Errorf("hdf5: object header version %d not supported", v)
	}
	o.flagsV2 = c.u8()
	if o.flagsV2&0x20 != 0 {
		c.skip(16) // access, modification, change, birth times
	}
	if o.flagsV2&0x10 != 0 {
		c.skip(4) // attribute storage phase change values
	}
	size := int64(c.uint(1 << (o.flagsV2 & 3)))
	if c.err != nil {
		return nil, c.err
	}
	if size > maxHeaderBlock {
		return nil, fmt.Errorf("hdf5: object header %d claims %d bytes", addr, size)
	}
	data, err := f.readAt(addr+int64(c.off), size)
	if err != nil {
		return nil, err
	}
	return f.messagesV2(o, data, o.trackOrder())
}

// messagesV2 reads the messages of a version 2 chunk, without its
// signature and checksum. Fewer bytes than a message header are a gap.
func (f *File) messagesV2(o *object, data []byte, order bool) ([]block, error) {
	c := f.cursor(data)
	headSize := 4
	if order {
		headSize = 6
	}
	var conts []block
	for c.left() >= headSize {
		m := message{typ: uint16(c.u8()), order: -1}
		size := int(c.u16())
		m.flags = c.u8()
		if order {
			m.order = int64(c.u16())
		}
		m.data = c.take(size)
		if c.err != nil {
			return nil, fmt.Errorf("hdf5: object header %d: message of %d bytes overruns its block", o.addr, size)
		}
		cont, err := o.add(f, m)
		if err != nil {
			return nil, err
		}
		conts = append(conts, cont...)
	}
	return conts, nil
}

// add records a message, returning the block a continuation message names.
func (o *object) add(f *File, m message) ([]block, error) {
	if len(o.msgs) >= maxMessages {
		return nil, fmt.Errorf("hdf5: object header %d has too many messages", o.addr)
	}
	switch m.typ {
	case msgNil:
		return nil, nil
	case msgContinuation:
		c := f.cursor(m.data)
		b := block{addr: c.addr(), size: int64(c.length())}
		if c.err != nil || b.size < 0 {
			return nil, fmt.Errorf("hdf5: object header %d: bad continuation message", o.addr)
		}
		return []block{b}, nil
	}
	o.msgs = append(o.msgs, m)
	return nil, nil
}
