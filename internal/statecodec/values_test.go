package statecodec

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestAttributesToMsgPack_sameAsTFTypes compares Codec with
// terraform-plugin-go over objects of one random attribute of a random
// framework value: the bytes of ToTerraformValue and NewDynamicValue, or
// where a map is involved the same value.
func TestAttributesToMsgPack_sameAsTFTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		typ, _, tfValue := randomState(t, r)
		v, err := attrTypeOf(typ).ValueFromTerraform(ctx, tfValue)
		if err != nil {
			t.Fatal(err)
		}
		root := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"v": typ}}
		c, err := New(root)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.AttributesToMsgPack(ctx, map[string]attr.Value{"v": v})
		if err != nil {
			t.Fatalf("case %d, %s: %v", i, v, err)
		}
		want := tftypes.NewValue(root, map[string]tftypes.Value{"v": tfValue})
		if hasMap(typ) {
			got, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(root)
			if err != nil || !got.Equal(want) {
				t.Fatalf("case %d: got %s (%v), want %s", i, got, err, want)
			}
		} else if !bytes.Equal(b, msgpackOf(t, root, want)) {
			t.Fatalf("case %d, %s of %s: other bytes than tftypes", i, v, typ)
		}
	}
}

func TestAttributesToMsgPack_refused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	inner := map[string]attr.Type{"s": types.StringType}
	c, err := New(tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"o": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"s": tftypes.String}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for name, attrs := range map[string]map[string]attr.Value{
		"unknown":               {"o": types.ObjectUnknown(inner)},
		"an unknown member":     {"o": types.ObjectValueMust(inner, map[string]attr.Value{"s": types.StringUnknown()})},
		"another type":          {"o": types.StringValue("x")},
		"a member too many":     {"o": types.ObjectValueMust(map[string]attr.Type{"s": types.StringType, "t": types.StringType}, map[string]attr.Value{"s": types.StringNull(), "t": types.StringNull()})},
		"a member of a type":    {"o": types.ObjectValueMust(map[string]attr.Type{"s": types.BoolType}, map[string]attr.Value{"s": types.BoolValue(true)})},
		"an attribute missing":  {},
		"an attribute too many": {"o": types.ObjectNull(inner), "p": types.StringNull()},
	} {
		if _, err := c.AttributesToMsgPack(ctx, attrs); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: got %v, want ErrUnsupported", name, err)
		}
	}
	str, err := New(tftypes.String)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := str.AttributesToMsgPack(ctx, map[string]attr.Value{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("attributes of a string: got %v, want ErrUnsupported", err)
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
		typ, raw, tfValue := randomState(t, r)
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
