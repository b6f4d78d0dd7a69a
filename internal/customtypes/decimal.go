// Package customtypes holds the number handling the provider's values
// share: decimals compared the way pipe.solar stores them (to the cent),
// printed for people, and compacted for Terraform.
package customtypes

import (
	"math/big"
	"strconv"
)

// DecimalTolerance is how far apart two numbers may be and still be the same
// value for the API: pipe.solar stores and shows numbers to two decimals
// ("8.50", "18,450.01"), so anything within half a cent is equal. Exactly
// half a cent counts as equal, whichever way the API rounds.
var DecimalTolerance = big.NewFloat(0.005000001)

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
