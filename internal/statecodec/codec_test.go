package statecodec

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

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

// msgpackOf is v as terraform-plugin-go writes it.
func msgpackOf(t *testing.T, typ tftypes.Type, v tftypes.Value) []byte {
	t.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return d.MsgPack
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

// randomState is a random type, a state of it as Terraform writes it in
// its state file, and what tftypes decodes from that state.
func randomState(t *testing.T, r *rand.Rand) (tftypes.Type, []byte, tftypes.Value) {
	t.Helper()
	typ := randomType(r, 3)
	raw, err := json.Marshal(randomJSON(r, typ))
	if err != nil {
		t.Fatal(err)
	}
	v, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		t.Fatalf("tftypes refuses %s: %v", raw, err)
	}
	return typ, raw, v
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
