package statecodec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// AttributesToMsgPack is the msgpack tftypes writes for the object of the
// codec's type (which must be an object type) with the attributes attrs,
// as the framework holds them (attr.Value, custom types included), without
// building the tftypes value first: what the object's ToTerraformValue and
// tfprotov6.NewDynamicValue make of it, byte for byte but for a map's
// entries, which it writes in key order. An unknown value, or a value that
// is not of the codec's type, is ErrUnsupported (wrapped).
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
