package statecodec

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

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
		typ, raw, _ := randomState(t, r)
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
