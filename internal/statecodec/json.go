package statecodec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
)

// JSONToMsgPack is the msgpack of the value that
// tftypes.ValueFromJSONWithOpts decodes from raw (a state as Terraform
// stores it) with IgnoreUndefinedAttributes: attributes the type does not
// have are ignored and those raw lacks are null. A map's entries are
// written in key order.
//
// Numbers are compacted as customtypes.Compact does: a non-integer that is
// a float64's shortest decimal (2.85) is written as that float64, where
// tftypes writes the decimal as text (only an exactly binary one, 18.5, as
// a float64). Terraform decodes text at 512 bits, and printing such a
// number, which it does each time it compares or stores one, costs it 20
// times more; it compares numbers by their shortest decimal, so the two
// are the same number to it.
//
// Anything tftypes would convert or refuse is ErrUnsupported (wrapped), for
// the caller to hand to tftypes.
func (c *Codec) JSONToMsgPack(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the value", ErrUnsupported)
	}
	var buf bytes.Buffer
	buf.Grow(len(raw))
	enc := msgpack.NewEncoder(&buf)
	if err := write(enc, c.root, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func write(enc *msgpack.Encoder, n *node, v any) error {
	if v == nil {
		return enc.EncodeNil()
	}
	switch n.kind {
	case kindString:
		if s, ok := v.(string); ok {
			return enc.EncodeString(s)
		}
	case kindNumber:
		if num, ok := v.(json.Number); ok {
			return writeNumber(enc, string(num))
		}
	case kindBool:
		if b, ok := v.(bool); ok {
			return enc.EncodeBool(b)
		}
	case kindList, kindSet:
		if elems, ok := v.([]any); ok {
			return writeArray(enc, n.elem, elems)
		}
	case kindMap:
		if m, ok := v.(map[string]any); ok {
			return writeMap(enc, n.elem, m)
		}
	case kindObject:
		if m, ok := v.(map[string]any); ok {
			return writeObject(enc, n, m)
		}
	}
	return fmt.Errorf("%w: a JSON %T where the type wants another", ErrUnsupported, v)
}

func writeArray(enc *msgpack.Encoder, elem *node, elems []any) error {
	if err := enc.EncodeArrayLen(len(elems)); err != nil {
		return err
	}
	for _, e := range elems {
		if err := write(enc, elem, e); err != nil {
			return err
		}
	}
	return nil
}

func writeMap(enc *msgpack.Encoder, elem *node, m map[string]any) error {
	if err := enc.EncodeMapLen(len(m)); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := enc.EncodeString(k); err != nil {
			return err
		}
		if err := write(enc, elem, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func writeObject(enc *msgpack.Encoder, n *node, m map[string]any) error {
	if err := enc.EncodeMapLen(len(n.names)); err != nil {
		return err
	}
	for _, name := range n.names {
		if err := enc.EncodeString(name); err != nil {
			return err
		}
		if err := write(enc, n.attrs[name], m[name]); err != nil { // absent: null
			return err
		}
	}
	return nil
}

// writeNumber writes the JSON number s: an int64 as an integer, a
// non-integer whose shortest float64 decimal is s as that float64, and
// anything else as tftypes writes the compacted 512-bit decimal.
func writeNumber(enc *msgpack.Encoder, s string) error {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return enc.EncodeInt(i)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f != math.Trunc(f) &&
		strconv.FormatFloat(f, 'f', -1, 64) == s {
		return enc.EncodeFloat64(f)
	}
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		return fmt.Errorf("%w: number %q: %w", ErrUnsupported, s, err)
	}
	return writeBigFloat(enc, customtypes.Compact(f))
}
