package statecodec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
)

// numbers are JSON numbers as a state may hold them: integers in and out
// of int64, decimals that are a float64's shortest text and some that are
// not, exactly binary ones, and forms Terraform does not write.
var numbers = []string{
	"0", "-0", "1", "-17", "25080", "9223372036854775807", "-9223372036854775808",
	"9223372036854775808", "1e20", "1.0", "1.5e3", "5.99", "5.990", "18.5", "2.85",
	"0.1", "-0.001", "139.33", "1e-7", "0.30000000000000004",
	"123456789012345678901234567890.5", "3.14159265358979323846264338327950288",
}

// reference is what terraform-plugin-go makes of raw, numbers compacted.
func reference(t *testing.T, typ tftypes.Type, raw []byte) tftypes.Value {
	t.Helper()
	v, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		t.Fatalf("tftypes refuses %s: %v", raw, err)
	}
	v, err = tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.Type().Is(tftypes.Number) || v.IsNull() {
			return v, nil
		}
		f := new(big.Float)
		if err := v.As(&f); err != nil {
			return v, err
		}
		return tftypes.NewValue(tftypes.Number, customtypes.Compact(f)), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// transcode is raw through Codec, decoded by terraform-plugin-go.
func transcode(t *testing.T, typ tftypes.Type, raw []byte) (tftypes.Value, []byte) {
	t.Helper()
	c, err := New(typ)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.JSONToMsgPack(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	v, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(typ)
	if err != nil {
		t.Fatalf("the msgpack of %s does not decode: %v", raw, err)
	}
	return v, b
}

// msgpackOf is v as terraform-plugin-go writes it.
func msgpackOf(t *testing.T, typ tftypes.Type, v tftypes.Value) []byte {
	t.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return d.MsgPack
}

func TestJSONToMsgPack_numbers(t *testing.T) {
	t.Parallel()
	for _, n := range numbers {
		raw := []byte(n)
		want := reference(t, tftypes.Number, raw)
		got, b := transcode(t, tftypes.Number, raw)
		if !got.Equal(want) {
			t.Errorf("%s: got %s, want %s", n, got, want)
		}
		// Byte for byte what tftypes writes of the compacted value.
		if wantBytes := msgpackOf(t, tftypes.Number, want); !bytes.Equal(b, wantBytes) {
			t.Errorf("%s: got bytes %x, want %x", n, b, wantBytes)
		}
	}
}

// TestJSONToMsgPack_sameAsTFTypes compares Codec with terraform-plugin-go
// over random types and states: objects, lists, sets and maps nested three
// deep, nulls, empty collections, attributes the type lacks and attributes
// the state lacks.
func TestJSONToMsgPack_sameAsTFTypes(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		typ := randomType(r, 3)
		raw, err := json.Marshal(randomJSON(r, typ))
		if err != nil {
			t.Fatal(err)
		}
		want := reference(t, typ, raw)
		got, b := transcode(t, typ, raw)
		if !got.Equal(want) {
			t.Fatalf("case %d, %s of %s:\n got  %s\n want %s", i, raw, typ, got, want)
		}
		if !hasMap(typ) {
			// Without a map (tftypes writes a map's entries in any
			// order), the very bytes.
			if !bytes.Equal(b, msgpackOf(t, typ, want)) {
				t.Fatalf("case %d, %s of %s: other bytes than tftypes", i, raw, typ)
			}
		}
	}
}

func TestJSONToMsgPack_leftToTFTypes(t *testing.T) {
	t.Parallel()
	for _, typ := range []tftypes.Type{
		tftypes.DynamicPseudoType,
		tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String}},
		tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.DynamicPseudoType}},
		tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String}, OptionalAttributes: map[string]struct{}{"a": {}}},
	} {
		if _, err := New(typ); !errors.Is(err, ErrUnsupported) {
			t.Errorf("New(%s): got %v, want ErrUnsupported", typ, err)
		}
	}
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "n": tftypes.Number, "b": tftypes.Bool, "l": tftypes.List{ElementType: tftypes.String},
	}}
	c, err := New(obj)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{
		`{"n": "5"}`, `{"s": 5}`, `{"s": true}`, `{"b": "true"}`, `{"b": 1}`, `{"l": {}}`, `{"l": [1]}`,
		`{"n": 1} {}`, `{"n": 1`, `[]`, `"x"`, ``,
	} {
		if _, err := c.JSONToMsgPack([]byte(raw)); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: got %v, want ErrUnsupported", raw, err)
		}
	}
}

// TestValueToMsgPack_sameAsTFTypes compares Codec with terraform-plugin-go
// over random framework values: the bytes of ToTerraformValue and
// NewDynamicValue, or where a map is involved the same value.
func TestValueToMsgPack_sameAsTFTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		typ := randomType(r, 3)
		raw, err := json.Marshal(randomJSON(r, typ))
		if err != nil {
			t.Fatal(err)
		}
		tfValue, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
		if err != nil {
			t.Fatal(err)
		}
		v, err := attrTypeOf(typ).ValueFromTerraform(ctx, tfValue)
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(typ)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.ValueToMsgPack(ctx, v)
		if err != nil {
			t.Fatalf("case %d, %s: %v", i, v, err)
		}
		want := msgpackOf(t, typ, tfValue)
		if hasMap(typ) {
			got, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(typ)
			if err != nil || !got.Equal(tfValue) {
				t.Fatalf("case %d: got %s (%v), want %s", i, got, err, tfValue)
			}
		} else if !bytes.Equal(b, want) {
			t.Fatalf("case %d, %s of %s: other bytes than tftypes", i, v, typ)
		}
	}
}

// TestCompactMsgPack_sameAsTFTypes compacts the numbers of random values
// as Terraform sends them (decimals read from JSON at 512 bits, written as
// text) and compares the result with tftypes' encoding of the compacted
// value.
func TestCompactMsgPack_sameAsTFTypes(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	rewritten := 0
	for i := range 2000 {
		typ := randomType(r, 3)
		raw, err := json.Marshal(randomJSON(r, typ))
		if err != nil {
			t.Fatal(err)
		}
		tfValue, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
		if err != nil {
			t.Fatal(err)
		}
		in := msgpackOf(t, typ, tfValue)
		c, err := New(typ)
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.CompactMsgPack(in)
		if err != nil {
			t.Fatalf("case %d, %s: %v", i, raw, err)
		}
		want := reference(t, typ, raw)
		got, err := (&tfprotov6.DynamicValue{MsgPack: out}).Unmarshal(typ)
		if err != nil || !got.Equal(want) {
			t.Fatalf("case %d, %s:\n got  %s (%v)\n want %s", i, raw, got, err, want)
		}
		if bytes.Equal(out, in) {
			if &out[0] != &in[0] {
				t.Fatalf("case %d: an unchanged value was copied", i)
			}
			continue
		}
		rewritten++
		if !hasMap(typ) && !bytes.Equal(out, msgpackOf(t, typ, want)) {
			t.Fatalf("case %d, %s: other bytes than tftypes writes for the compacted value", i, raw)
		}
	}
	if rewritten == 0 {
		t.Fatal("no case had a number to compact")
	}
}

// TestMsgPackToValue_sameAsTFTypes decodes random values, their numbers
// as Terraform sends them (text) and compacted (float64s), and compares
// them with what the framework makes of tftypes' decoding.
func TestMsgPackToValue_sameAsTFTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 2000 {
		typ := randomType(r, 3)
		raw, err := json.Marshal(randomJSON(r, typ))
		if err != nil {
			t.Fatal(err)
		}
		tfValue, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []tftypes.Value{tfValue, reference(t, typ, raw)} {
			b := msgpackOf(t, typ, v)
			decoded, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			want, err := attrTypeOf(typ).ValueFromTerraform(ctx, decoded)
			if err != nil {
				t.Fatal(err)
			}
			got, err := MsgPackToValue(ctx, b, attrTypeOf(typ))
			if err != nil {
				t.Fatalf("case %d, %s: %v", i, raw, err)
			}
			if !got.Equal(want) {
				t.Fatalf("case %d, %s:\n got  %s\n want %s", i, raw, got, want)
			}
		}
	}
}

// TestMsgPackToValue_customTypes checks that a custom type decodes its own
// values, null or not.
func TestMsgPackToValue_customTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	typ := types.ObjectType{AttrTypes: map[string]attr.Type{"j": jsontypes.NormalizedType{}, "k": jsontypes.NormalizedType{}}}
	tt := typ.TerraformType(ctx)
	b := msgpackOf(t, tt, tftypes.NewValue(tt, map[string]tftypes.Value{
		"j": tftypes.NewValue(tftypes.String, `{"a": 1}`), "k": tftypes.NewValue(tftypes.String, nil),
	}))
	got, err := MsgPackToValue(ctx, b, typ)
	if err != nil {
		t.Fatal(err)
	}
	obj, ok := got.(types.Object)
	if !ok {
		t.Fatalf("got %T", got)
	}
	j, ok := obj.Attributes()["j"].(jsontypes.Normalized)
	if !ok || j.ValueString() != `{"a": 1}` {
		t.Errorf("j: got %#v", obj.Attributes()["j"])
	}
	if k, ok := obj.Attributes()["k"].(jsontypes.Normalized); !ok || !k.IsNull() {
		t.Errorf("k: got %#v", obj.Attributes()["k"])
	}
	unknown := msgpackOf(t, tt, tftypes.NewValue(tt, tftypes.UnknownValue))
	if _, err := MsgPackToValue(ctx, unknown, typ); !errors.Is(err, ErrUnsupported) {
		t.Errorf("an unknown value: got %v, want ErrUnsupported", err)
	}
}

func TestValueToMsgPack_refused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"s": tftypes.String}}
	c, err := New(obj)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]attr.Value{
		"unknown":            types.ObjectUnknown(map[string]attr.Type{"s": types.StringType}),
		"an unknown member":  types.ObjectValueMust(map[string]attr.Type{"s": types.StringType}, map[string]attr.Value{"s": types.StringUnknown()}),
		"another type":       types.StringValue("x"),
		"a member too many":  types.ObjectValueMust(map[string]attr.Type{"s": types.StringType, "t": types.StringType}, map[string]attr.Value{"s": types.StringNull(), "t": types.StringNull()}),
		"a member of a type": types.ObjectValueMust(map[string]attr.Type{"s": types.BoolType}, map[string]attr.Value{"s": types.BoolValue(true)}),
	} {
		if _, err := c.ValueToMsgPack(ctx, v); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: got %v, want ErrUnsupported", name, err)
		}
	}
}

// attrTypeOf is the framework's type for typ.
func attrTypeOf(typ tftypes.Type) attr.Type {
	switch t := typ.(type) {
	case tftypes.List:
		return types.ListType{ElemType: attrTypeOf(t.ElementType)}
	case tftypes.Set:
		return types.SetType{ElemType: attrTypeOf(t.ElementType)}
	case tftypes.Map:
		return types.MapType{ElemType: attrTypeOf(t.ElementType)}
	case tftypes.Object:
		attrs := map[string]attr.Type{}
		for name, at := range t.AttributeTypes {
			attrs[name] = attrTypeOf(at)
		}
		return types.ObjectType{AttrTypes: attrs}
	}
	switch {
	case typ.Is(tftypes.String):
		return types.StringType
	case typ.Is(tftypes.Number):
		return types.NumberType
	default:
		return types.BoolType
	}
}

func randomType(r *rand.Rand, depth int) tftypes.Type {
	n := 3
	if depth > 0 {
		n = 7
	}
	switch r.IntN(n) {
	case 0:
		return tftypes.String
	case 1:
		return tftypes.Number
	case 2:
		return tftypes.Bool
	case 3:
		return tftypes.List{ElementType: randomType(r, depth-1)}
	case 4:
		return tftypes.Set{ElementType: randomType(r, depth-1)}
	case 5:
		return tftypes.Map{ElementType: randomType(r, depth-1)}
	default:
		attrs := map[string]tftypes.Type{}
		for i := range 1 + r.IntN(6) {
			attrs[fmt.Sprintf("a%d", i)] = randomType(r, depth-1)
		}
		return tftypes.Object{AttributeTypes: attrs}
	}
}

// randomJSON is a value of typ as Terraform writes it in a state file,
// sometimes null, sometimes with an attribute too many or too few.
func randomJSON(r *rand.Rand, typ tftypes.Type) any {
	if r.IntN(8) == 0 {
		return nil
	}
	switch t := typ.(type) {
	case tftypes.List:
		return randomElems(r, t.ElementType)
	case tftypes.Set:
		elems := randomElems(r, t.ElementType)
		if len(elems) > 1 {
			elems = elems[:1] // a set's elements differ
		}
		return elems
	case tftypes.Map:
		m := map[string]any{}
		for i := range r.IntN(4) {
			m[fmt.Sprintf("k%d", i)] = randomJSON(r, t.ElementType)
		}
		return m
	case tftypes.Object:
		m := map[string]any{}
		for name, at := range t.AttributeTypes {
			if r.IntN(10) > 0 {
				m[name] = randomJSON(r, at)
			}
		}
		if r.IntN(5) == 0 {
			m["gone"] = "an attribute the schema no longer has"
		}
		return m
	}
	switch {
	case typ.Is(tftypes.String):
		return fmt.Sprintf("text %d \u00e9\"", r.IntN(100))
	case typ.Is(tftypes.Number):
		return json.Number(numbers[r.IntN(len(numbers))])
	default:
		return r.IntN(2) == 0
	}
}

func randomElems(r *rand.Rand, elem tftypes.Type) []any {
	out := []any{}
	for range r.IntN(4) {
		v := randomJSON(r, elem)
		if v == nil {
			continue // Terraform keeps no null elements in its state
		}
		out = append(out, v)
	}
	return out
}

func hasMap(typ tftypes.Type) bool {
	switch t := typ.(type) {
	case tftypes.Map:
		return true
	case tftypes.List:
		return hasMap(t.ElementType)
	case tftypes.Set:
		return hasMap(t.ElementType)
	case tftypes.Object:
		for _, at := range t.AttributeTypes {
			if hasMap(at) {
				return true
			}
		}
	}
	return false
}
