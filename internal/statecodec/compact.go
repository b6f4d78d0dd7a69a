package statecodec

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// CompactMsgPack is b, a value of the codec's type in msgpack, with every
// number written as decimal text that is a float64's shortest decimal
// (2.85; Terraform writes so what it read from its state file) written as
// that float64 instead: the same number to Terraform, which decodes it
// without the 512-bit decimal it would otherwise print each time it
// compares or stores it. Every other byte is b's; b itself when nothing
// changes. Subtrees without numbers are skipped, not decoded.
func (c *Codec) CompactMsgPack(b []byte) ([]byte, error) {
	cp := compactor{in: b}
	cp.r = bytes.NewReader(b)
	cp.dec = msgpack.NewDecoder(cp.r)
	if err := cp.walk(c.root); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	if cp.r.Len() != 0 {
		return nil, fmt.Errorf("%w: data after the value", ErrUnsupported)
	}
	if cp.out == nil {
		return b, nil
	}
	return append(cp.out, b[cp.copied:]...), nil
}

// compactor copies in to out up to each number it rewrites.
type compactor struct {
	in     []byte
	r      *bytes.Reader
	dec    *msgpack.Decoder
	out    []byte
	copied int // in[:copied] is in out
}

func (cp *compactor) pos() int { return len(cp.in) - cp.r.Len() }

func (cp *compactor) walk(n *node) error {
	if !n.numbers {
		return cp.dec.Skip()
	}
	code, err := cp.dec.PeekCode()
	if err != nil {
		return err
	}
	if code == msgpcode.Nil || msgpcode.IsExt(code) {
		return cp.dec.Skip() // null, unknown
	}
	switch n.kind {
	case kindNumber:
		if !msgpcode.IsString(code) {
			return cp.dec.Skip()
		}
		start := cp.pos()
		s, err := cp.dec.DecodeString()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f == math.Trunc(f) || strconv.FormatFloat(f, 'f', -1, 64) != s {
			return nil //nolint:nilerr // not a float64's shortest decimal: kept as it is
		}
		var buf bytes.Buffer
		if err := msgpack.NewEncoder(&buf).EncodeFloat64(f); err != nil {
			return err
		}
		cp.out = append(append(cp.out, cp.in[cp.copied:start]...), buf.Bytes()...)
		cp.copied = cp.pos()
		return nil
	case kindList, kindSet:
		l, err := cp.dec.DecodeArrayLen()
		if err != nil {
			return err
		}
		for range l {
			if err := cp.walk(n.elem); err != nil {
				return err
			}
		}
		return nil
	case kindMap, kindObject:
		l, err := cp.dec.DecodeMapLen()
		if err != nil {
			return err
		}
		for range l {
			key, err := cp.dec.DecodeString()
			if err != nil {
				return err
			}
			elem := n.elem
			if n.kind == kindObject {
				if elem = n.attrs[key]; elem == nil {
					return fmt.Errorf("no attribute %q", key)
				}
			}
			if err := cp.walk(elem); err != nil {
				return err
			}
		}
		return nil
	}
	return cp.dec.Skip()
}
