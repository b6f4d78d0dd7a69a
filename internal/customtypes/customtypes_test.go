package customtypes

import (
	"math/big"
	"testing"
)

func dec(s string) *big.Float {
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

func TestDecimalsEqual(t *testing.T) {
	t.Parallel()
	sum := new(big.Float).SetPrec(512).Add(dec("0.1"), dec("0.2"))
	cases := []struct {
		a, b *big.Float
		want bool
	}{
		{dec("8.5"), dec("8.50"), true},
		{dec("18450.01"), dec("18450.01"), true},
		{sum, dec("0.3"), true},
		{dec("2.349"), dec("2.35"), true},
		{dec("2.345"), dec("2.35"), true}, // exactly half a cent: whichever way the API rounds
		{dec("2.344"), dec("2.35"), false},
		{dec("2.9"), dec("3.1"), false},
		{dec("1000000.00"), dec("1000000.01"), false},
		{nil, nil, true},
		{nil, dec("0"), false},
	}
	for _, tc := range cases {
		if got := DecimalsEqual(tc.a, tc.b); got != tc.want {
			t.Errorf("%v ~ %v = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestFormatDecimal(t *testing.T) {
	t.Parallel()
	sum := new(big.Float).SetPrec(512).Add(dec("0.1"), dec("0.2"))
	for in, want := range map[*big.Float]string{
		dec("18450.01"): "18450.01",
		dec("8.50"):     "8.5",
		dec("20"):       "20",
		sum:             "0.3",
		nil:             "(none)",
	} {
		if got := FormatDecimal(in); got != want {
			t.Errorf("FormatDecimal(%v) = %q, want %q", in, got, want)
		}
	}
}
