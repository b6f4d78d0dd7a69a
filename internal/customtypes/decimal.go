package customtypes

import (
	"context"
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// DecimalTolerance is how far apart two numbers may be and still be the same
// value for the API: pipe.solar stores and shows numbers to two decimals
// ("8.50", "18,450.01"), so anything within half a cent is equal. Exactly
// half a cent counts as equal, whichever way the API rounds.
var DecimalTolerance = big.NewFloat(0.005000001)

// DecimalType is a number attribute type that compares numbers to the cent.
// 8.5 equals "8.50" from the API, 0.1+0.2 equals 0.3, and 18450.01 equals
// "18,450.01" once parsed.
type DecimalType struct {
	basetypes.NumberType
}

var (
	_ basetypes.NumberTypable                    = DecimalType{}
	_ basetypes.NumberValuableWithSemanticEquals = DecimalValue{}
)

func (t DecimalType) String() string { return "customtypes.DecimalType" }

func (t DecimalType) Equal(o attr.Type) bool {
	_, ok := o.(DecimalType)
	return ok
}

func (t DecimalType) ValueType(context.Context) attr.Value { return DecimalValue{} }

func (t DecimalType) ValueFromNumber(_ context.Context, in basetypes.NumberValue) (basetypes.NumberValuable, diag.Diagnostics) {
	return DecimalValue{NumberValue: in}, nil
}

func (t DecimalType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.NumberType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	nv, ok := v.(basetypes.NumberValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return DecimalValue{NumberValue: nv}, nil
}

// DecimalValue is a value of DecimalType.
type DecimalValue struct {
	basetypes.NumberValue
}

// NewDecimal returns a known decimal value; nil gives null.
func NewDecimal(f *big.Float) DecimalValue {
	if f == nil {
		return DecimalNull()
	}
	return DecimalValue{NumberValue: basetypes.NewNumberValue(f)}
}

// DecimalNull returns a null decimal.
func DecimalNull() DecimalValue { return DecimalValue{NumberValue: basetypes.NewNumberNull()} }

// DecimalUnknown returns an unknown decimal.
func DecimalUnknown() DecimalValue { return DecimalValue{NumberValue: basetypes.NewNumberUnknown()} }

func (v DecimalValue) Type(context.Context) attr.Type { return DecimalType{} }

func (v DecimalValue) Equal(o attr.Value) bool {
	other, ok := o.(DecimalValue)
	return ok && v.NumberValue.Equal(other.NumberValue)
}

// NumberSemanticEquals reports whether both numbers are the same to the cent.
func (v DecimalValue) NumberSemanticEquals(ctx context.Context, newValuable basetypes.NumberValuable) (bool, diag.Diagnostics) {
	nv, diags := newValuable.ToNumberValue(ctx)
	if diags.HasError() {
		return false, diags
	}
	return v.SemanticallyEqual(DecimalValue{NumberValue: nv}), diags
}

// SemanticallyEqual reports whether v and o are the same number to the cent
// (both null counts as equal; unknown never does).
func (v DecimalValue) SemanticallyEqual(o DecimalValue) bool {
	if v.IsUnknown() || o.IsUnknown() {
		return false
	}
	if v.IsNull() || o.IsNull() {
		return v.IsNull() && o.IsNull()
	}
	return DecimalsEqual(v.ValueBigFloat(), o.ValueBigFloat())
}

// DecimalsEqual reports whether a and b are within DecimalTolerance.
func DecimalsEqual(a, b *big.Float) bool {
	if a == nil || b == nil {
		return a == b
	}
	diff := new(big.Float).SetPrec(512).Sub(a, b)
	return diff.Abs(diff).Cmp(DecimalTolerance) <= 0
}

// FormatDecimal writes a number the way a person would read it: the shortest
// decimal form, without exponent.
func FormatDecimal(f *big.Float) string {
	if f == nil {
		return "(none)"
	}
	s := f.Text('f', -1)
	// Terraform numbers carry 512 bits; show at most 10 decimals so
	// 0.1+0.2 prints as 0.3, not 0.30000000000000000000000000000...04.
	if r := f.Text('f', 10); len(r) < len(s) {
		s = trimZeros(r)
	}
	return s
}

func trimZeros(s string) string {
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// Compact returns f with as few bits as still carry its value: an integer as
// an int64, a number that is the same decimal as a float64 (18450.01, 8.5,
// 0.1) as that float64, anything else unchanged.
//
// Terraform holds numbers at 512 bits, and a non-integer number that is not
// exactly a float64 crosses the plugin protocol as decimal text, which both
// sides then print from (and parse to) 512 bits. Printing a 512-bit float is
// slow: for a listing of 10,000 projects it was a quarter of Terraform's CPU.
// A compacted number crosses as a float64 instead, and Terraform shows and
// compares it as the same decimal (cty compares numbers by their shortest
// decimal text).
func Compact(f *big.Float) *big.Float {
	if f == nil || f.IsInf() {
		return f
	}
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return new(big.Float).SetInt64(i)
		}
		return f
	}
	x, _ := f.Float64()
	if f.Prec() <= 53 {
		return big.NewFloat(x) // no bits lost
	}
	// f is the same decimal as x when x's shortest decimal text, parsed at
	// f's precision, gives f back: two different short decimals never round
	// to the same 512-bit value.
	back, _, err := big.ParseFloat(strconv.FormatFloat(x, 'g', -1, 64), 10, f.Prec(), big.ToNearestEven)
	if err != nil || back.Cmp(f) != 0 {
		return f
	}
	return big.NewFloat(x)
}
