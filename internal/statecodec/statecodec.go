// Package statecodec writes a resource's state in the plugin protocol's
// msgpack without building tftypes values first: straight from the JSON
// Terraform keeps it in (for a state upgrade that changes nothing), and
// straight from the framework's values (for a read).
//
// terraform-plugin-go decodes a JSON state into tftypes values and encodes
// them again (tftypes.ValueFromJSONWithOpts, then Value.MarshalMsgPack),
// decoding every nested object's JSON once per level: 0.7 ms and 600 KB for
// one pipesolar_project, paid for every managed project in every plan.
// Codec decodes the JSON once and writes the msgpack tftypes would write,
// with one difference: numbers are compacted (see Codec.JSONToMsgPack).
// From framework values it writes what tftypes writes, byte for byte.
package statecodec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
)

// ErrUnsupported is returned for a type or a value Codec leaves to
// terraform-plugin-go: tuples, dynamic values, and JSON that tftypes would
// convert (a number written as text, a string written as a number, ...)
// or refuse.
var ErrUnsupported = errors.New("left to terraform-plugin-go")

// Codec transcodes the states of one type. It is safe for concurrent use.
type Codec struct {
	root *node
}

// node is a type, with an object's attribute names sorted as tftypes
// writes them.
type node struct {
	kind    kind
	elem    *node            // list, set and map elements
	names   []string         // object attributes, sorted
	attrs   map[string]*node // object attributes
	numbers bool             // a number, or a type that holds one
}

type kind int

const (
	kindString kind = iota
	kindNumber
	kindBool
	kindList
	kindSet
	kindMap
	kindObject
)

// New compiles typ; it fails for types that hold a tuple or a dynamic
// value, and for objects with optional attributes.
func New(typ tftypes.Type) (*Codec, error) {
	root, err := compile(typ)
	if err != nil {
		return nil, err
	}
	return &Codec{root: root}, nil
}

func compile(typ tftypes.Type) (*node, error) {
	switch t := typ.(type) {
	case tftypes.Object:
		if len(t.OptionalAttributes) > 0 {
			return nil, fmt.Errorf("%w: an object with optional attributes", ErrUnsupported)
		}
		n := &node{kind: kindObject, attrs: make(map[string]*node, len(t.AttributeTypes))}
		for name, at := range t.AttributeTypes {
			a, err := compile(at)
			if err != nil {
				return nil, err
			}
			n.attrs[name] = a
			n.names = append(n.names, name)
			n.numbers = n.numbers || a.numbers
		}
		slices.Sort(n.names)
		return n, nil
	case tftypes.List:
		return collection(kindList, t.ElementType)
	case tftypes.Set:
		return collection(kindSet, t.ElementType)
	case tftypes.Map:
		return collection(kindMap, t.ElementType)
	}
	switch {
	case typ.Is(tftypes.String):
		return &node{kind: kindString}, nil
	case typ.Is(tftypes.Number):
		return &node{kind: kindNumber, numbers: true}, nil
	case typ.Is(tftypes.Bool):
		return &node{kind: kindBool}, nil
	}
	return nil, fmt.Errorf("%w: type %s", ErrUnsupported, typ)
}

func collection(k kind, elem tftypes.Type) (*node, error) {
	e, err := compile(elem)
	if err != nil {
		return nil, err
	}
	return &node{kind: k, elem: e, numbers: e.numbers}, nil
}

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

// writeBigFloat writes f as tftypes writes a number (marshalMsgPackNumber):
// an int64 as an integer, a non-integer that is exactly a float64 as that
// float64, anything else as decimal text.
func writeBigFloat(enc *msgpack.Encoder, f *big.Float) error {
	switch {
	case f.IsInf():
		return enc.EncodeFloat64(math.Inf(f.Sign()))
	case f.IsInt():
		if i, acc := f.Int64(); acc == big.Exact {
			return enc.EncodeInt(i)
		}
	default:
		if x, acc := f.Float64(); acc == big.Exact {
			return enc.EncodeFloat64(x)
		}
	}
	return enc.EncodeString(f.Text('f', -1))
}

// ValueToMsgPack is the msgpack tftypes writes for v, a value of the
// codec's type as the framework holds it (attr.Value, custom types
// included), without building the tftypes value first: what
// v.ToTerraformValue and tfprotov6.NewDynamicValue make of it, a map's
// entries in key order. An unknown value, or a value that is not of the
// codec's type, is ErrUnsupported (wrapped).
func (c *Codec) ValueToMsgPack(ctx context.Context, v attr.Value) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(2048)
	enc := msgpack.NewEncoder(&buf)
	if err := writeValue(ctx, enc, c.root, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// AttributesToMsgPack is ValueToMsgPack of an object of the codec's type
// (which must be an object type) with the attributes attrs.
func (c *Codec) AttributesToMsgPack(ctx context.Context, attrs map[string]attr.Value) ([]byte, error) {
	if c.root.kind != kindObject {
		return nil, fmt.Errorf("%w: attributes of a type that is not an object", ErrUnsupported)
	}
	var buf bytes.Buffer
	buf.Grow(2048)
	enc := msgpack.NewEncoder(&buf)
	if err := writeValueObject(ctx, enc, c.root, attrs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeValue(ctx context.Context, enc *msgpack.Encoder, n *node, v attr.Value) error {
	if v == nil || v.IsUnknown() {
		return fmt.Errorf("%w: an unknown or missing value", ErrUnsupported)
	}
	if v.IsNull() {
		return enc.EncodeNil()
	}
	var diags diag.Diagnostics
	switch x := v.(type) {
	case basetypes.StringValuable:
		if n.kind == kindString {
			s, d := x.ToStringValue(ctx)
			if diags = d; !d.HasError() {
				return enc.EncodeString(s.ValueString())
			}
		}
	case basetypes.NumberValuable:
		if n.kind == kindNumber {
			f, d := x.ToNumberValue(ctx)
			if diags = d; !d.HasError() {
				return writeBigFloat(enc, f.ValueBigFloat())
			}
		}
	case basetypes.BoolValuable:
		if n.kind == kindBool {
			b, d := x.ToBoolValue(ctx)
			if diags = d; !d.HasError() {
				return enc.EncodeBool(b.ValueBool())
			}
		}
	case basetypes.ListValuable:
		if n.kind == kindList {
			l, d := x.ToListValue(ctx)
			if diags = d; !d.HasError() {
				return writeValues(ctx, enc, n.elem, l.Elements())
			}
		}
	case basetypes.SetValuable:
		if n.kind == kindSet {
			s, d := x.ToSetValue(ctx)
			if diags = d; !d.HasError() {
				return writeValues(ctx, enc, n.elem, s.Elements())
			}
		}
	case basetypes.MapValuable:
		if n.kind == kindMap {
			m, d := x.ToMapValue(ctx)
			if diags = d; !d.HasError() {
				return writeValueMap(ctx, enc, n.elem, m.Elements())
			}
		}
	case basetypes.ObjectValuable:
		if n.kind == kindObject {
			o, d := x.ToObjectValue(ctx)
			if diags = d; !d.HasError() {
				return writeValueObject(ctx, enc, n, o.Attributes())
			}
		}
	}
	if diags.HasError() {
		return fmt.Errorf("%w: %s", ErrUnsupported, diags.Errors()[0].Detail())
	}
	return fmt.Errorf("%w: a %T where the type wants another", ErrUnsupported, v)
}

func writeValues(ctx context.Context, enc *msgpack.Encoder, elem *node, elems []attr.Value) error {
	if err := enc.EncodeArrayLen(len(elems)); err != nil {
		return err
	}
	for _, e := range elems {
		if err := writeValue(ctx, enc, elem, e); err != nil {
			return err
		}
	}
	return nil
}

func writeValueMap(ctx context.Context, enc *msgpack.Encoder, elem *node, m map[string]attr.Value) error {
	if err := enc.EncodeMapLen(len(m)); err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := enc.EncodeString(k); err != nil {
			return err
		}
		if err := writeValue(ctx, enc, elem, m[k]); err != nil {
			return err
		}
	}
	return nil
}

func writeValueObject(ctx context.Context, enc *msgpack.Encoder, n *node, attrs map[string]attr.Value) error {
	if len(attrs) != len(n.names) {
		return fmt.Errorf("%w: an object of %d attributes where the type has %d", ErrUnsupported, len(attrs), len(n.names))
	}
	if err := enc.EncodeMapLen(len(n.names)); err != nil {
		return err
	}
	for _, name := range n.names {
		v, ok := attrs[name]
		if !ok {
			return fmt.Errorf("%w: no attribute %q", ErrUnsupported, name)
		}
		if err := enc.EncodeString(name); err != nil {
			return err
		}
		if err := writeValue(ctx, enc, n.attrs[name], v); err != nil {
			return err
		}
	}
	return nil
}

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

// MsgPackToValue decodes b, a value of type t in msgpack, into the
// framework's value, as t.ValueFromTerraform does with the value tftypes
// decodes, without building the tftypes value first. Values of custom
// types are decoded by their type from the tftypes value of their part of
// b. An unknown value is ErrUnsupported (wrapped).
func MsgPackToValue(ctx context.Context, b []byte, t attr.Type) (attr.Value, error) {
	r := bytes.NewReader(b)
	dec := msgpack.NewDecoder(r)
	v, err := readValue(ctx, dec, t)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: data after the value", ErrUnsupported)
	}
	return v, nil
}

func readValue(ctx context.Context, dec *msgpack.Decoder, t attr.Type) (attr.Value, error) {
	code, err := dec.PeekCode()
	if err != nil {
		return nil, err
	}
	if msgpcode.IsExt(code) {
		return nil, errors.New("an unknown value")
	}
	null := code == msgpcode.Nil
	if null {
		if err := dec.Skip(); err != nil {
			return nil, err
		}
	}
	switch t := t.(type) {
	case basetypes.StringType:
		if null {
			return types.StringNull(), nil
		}
		s, err := dec.DecodeString()
		return types.StringValue(s), err
	case basetypes.NumberType:
		if null {
			return types.NumberNull(), nil
		}
		f, err := readNumber(dec, code)
		return types.NumberValue(f), err
	case basetypes.BoolType:
		if null {
			return types.BoolNull(), nil
		}
		b, err := dec.DecodeBool()
		return types.BoolValue(b), err
	case basetypes.ListType:
		if null {
			return types.ListNull(t.ElemType), nil
		}
		elems, err := readValues(ctx, dec, t.ElemType)
		if err != nil {
			return nil, err
		}
		return valueOrError(types.ListValue(t.ElemType, elems))
	case basetypes.SetType:
		if null {
			return types.SetNull(t.ElemType), nil
		}
		elems, err := readValues(ctx, dec, t.ElemType)
		if err != nil {
			return nil, err
		}
		return valueOrError(types.SetValue(t.ElemType, elems))
	case basetypes.MapType:
		if null {
			return types.MapNull(t.ElemType), nil
		}
		elems, err := readValueMap(ctx, dec, func(string) attr.Type { return t.ElemType })
		if err != nil {
			return nil, err
		}
		return valueOrError(types.MapValue(t.ElemType, elems))
	case basetypes.ObjectType:
		if null {
			return types.ObjectNull(t.AttrTypes), nil
		}
		attrs, err := readValueMap(ctx, dec, func(name string) attr.Type { return t.AttrTypes[name] })
		if err != nil {
			return nil, err
		}
		return valueOrError(types.ObjectValue(t.AttrTypes, attrs))
	}
	// A custom type: decoded by the type itself.
	tt := t.TerraformType(ctx)
	if null {
		return t.ValueFromTerraform(ctx, tftypes.NewValue(tt, nil))
	}
	raw, err := dec.DecodeRaw()
	if err != nil {
		return nil, err
	}
	tv, err := (&tfprotov6.DynamicValue{MsgPack: raw}).Unmarshal(tt)
	if err != nil {
		return nil, err
	}
	return t.ValueFromTerraform(ctx, tv)
}

// readNumber decodes a number as tftypes does (msgpackUnmarshal): an
// integer exactly, a float64 at 53 bits, text as a 512-bit decimal.
func readNumber(dec *msgpack.Decoder, code byte) (*big.Float, error) {
	switch {
	case msgpcode.IsFixedNum(code), code == msgpcode.Int8, code == msgpcode.Int16, code == msgpcode.Int32, code == msgpcode.Int64:
		i, err := dec.DecodeInt64()
		return new(big.Float).SetInt64(i), err
	case code == msgpcode.Uint8, code == msgpcode.Uint16, code == msgpcode.Uint32, code == msgpcode.Uint64:
		u, err := dec.DecodeUint64()
		return new(big.Float).SetUint64(u), err
	case code == msgpcode.Float, code == msgpcode.Double:
		f, err := dec.DecodeFloat64()
		return big.NewFloat(f), err
	}
	s, err := dec.DecodeString()
	if err != nil {
		return nil, err
	}
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	return f, err
}

func readValues(ctx context.Context, dec *msgpack.Decoder, elem attr.Type) ([]attr.Value, error) {
	l, err := dec.DecodeArrayLen()
	if err != nil {
		return nil, err
	}
	out := make([]attr.Value, 0, max(l, 0))
	for range l {
		v, err := readValue(ctx, dec, elem)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// readValueMap decodes a msgpack map whose entry k has the type typeOf(k)
// (nil: the type has no such member).
func readValueMap(ctx context.Context, dec *msgpack.Decoder, typeOf func(string) attr.Type) (map[string]attr.Value, error) {
	l, err := dec.DecodeMapLen()
	if err != nil {
		return nil, err
	}
	out := make(map[string]attr.Value, max(l, 0))
	for range l {
		k, err := dec.DecodeString()
		if err != nil {
			return nil, err
		}
		t := typeOf(k)
		if t == nil {
			return nil, fmt.Errorf("no member %q", k)
		}
		if out[k], err = readValue(ctx, dec, t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// valueOrError is v, or the first error of diags.
func valueOrError[V attr.Value](v V, diags diag.Diagnostics) (attr.Value, error) {
	if diags.HasError() {
		return nil, errors.New(diags.Errors()[0].Detail())
	}
	return v, nil
}
