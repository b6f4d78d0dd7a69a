package customtypes

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

func dec(s string) DecimalValue {
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return NewDecimal(f)
}

func TestDecimalSemanticEquality(t *testing.T) {
	t.Parallel()
	sum := new(big.Float).SetPrec(512).Add(dec("0.1").ValueBigFloat(), dec("0.2").ValueBigFloat())
	cases := []struct {
		a, b DecimalValue
		want bool
	}{
		{dec("8.5"), dec("8.50"), true},
		{dec("18450.01"), dec("18450.01"), true},
		{NewDecimal(sum), dec("0.3"), true},
		{dec("2.349"), dec("2.35"), true},
		{dec("2.345"), dec("2.35"), true}, // exactly half a cent: whichever way the API rounds
		{dec("2.344"), dec("2.35"), false},
		{dec("2.9"), dec("3.1"), false},
		{dec("1000000.00"), dec("1000000.01"), false},
		{DecimalNull(), DecimalNull(), true},
		{DecimalNull(), dec("0"), false},
		{DecimalValue{NumberValue: basetypes.NewNumberUnknown()}, dec("1"), false},
	}
	for _, tc := range cases {
		if got := tc.a.SemanticallyEqual(tc.b); got != tc.want {
			t.Errorf("%s ~ %s = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got, _ := tc.a.NumberSemanticEquals(context.Background(), tc.b); got != tc.want && !tc.a.IsNull() {
			t.Errorf("NumberSemanticEquals(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestStringSemanticEquality(t *testing.T) {
	t.Parallel()
	ci, tr := CaseInsensitiveStringType(), TrimmedStringType()
	cases := []struct {
		a, b StringValue
		want bool
	}{
		{ci.Known("Ada@Example.COM"), ci.Known("ada@example.com"), true},
		{ci.Known(" ada@example.com "), ci.Known("ada@example.com"), true},
		{ci.Known("ada@example.com"), ci.Known("bob@example.com"), false},
		{tr.Known(" Ada "), tr.Known("Ada"), true},
		{tr.Known("Ada"), tr.Known("ada"), false},
		{tr.Null(), tr.Null(), true},
		{tr.Null(), tr.Known(""), false},
	}
	for _, tc := range cases {
		if got := tc.a.SemanticallyEqual(tc.b); got != tc.want {
			t.Errorf("%s ~ %s = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if tr.Known("x").Equal(ci.Known("x")) {
		t.Error("values of different kinds must not be Equal")
	}
}

func TestFormatDecimal(t *testing.T) {
	t.Parallel()
	sum := new(big.Float).SetPrec(512).Add(dec("0.1").ValueBigFloat(), dec("0.2").ValueBigFloat())
	for in, want := range map[*big.Float]string{
		dec("18450.01").ValueBigFloat(): "18450.01",
		dec("8.50").ValueBigFloat():     "8.5",
		dec("20").ValueBigFloat():       "20",
		sum:                             "0.3",
		nil:                             "(none)",
	} {
		if got := FormatDecimal(in); got != want {
			t.Errorf("FormatDecimal(%v) = %q, want %q", in, got, want)
		}
	}
}
