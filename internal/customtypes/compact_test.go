package customtypes

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

// compactTexts are decimals as an API writes them, plus random ones of up to
// 40 digits.
func compactTexts() []string {
	texts := []string{
		"0", "0.0", "-0.5", "8.50", "18450.01", "1028.58", "3.99", "20", "20.0", "0.1",
		"0.30000000000000004", "12345678901234567.89", "9007199254740993", "1e-7", "2.5E10",
		"123456789012345678901234567890.123456789", "0.000000000000000000000000000001",
		"-99999999999999999.99", "1" + strings.Repeat("0", 200) + ".5",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		if rng.IntN(4) == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(byte('1' + rng.IntN(9)))
		for range rng.IntN(18) {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		if frac := rng.IntN(22); frac > 0 {
			b.WriteByte('.')
			for range frac {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

// terraformSees sends f across the plugin protocol the way the framework
// does and decodes it the way Terraform does (go-cty's msgpack decoder).
func terraformSees(t *testing.T, f *big.Float) cty.Value {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(tftypes.Number, tftypes.NewValue(tftypes.Number, f))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ctymsgpack.Unmarshal(dv.MsgPack, cty.Number)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCompact checks that a compacted number is, for Terraform, the same
// number as the 512-bit one (same decimal text in state, equal in
// expressions), and that an API's two-decimal numbers become float64s.
func TestCompact(t *testing.T) {
	t.Parallel()
	for _, s := range compactTexts() {
		exact, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		compact := Compact(exact)
		want, got := terraformSees(t, exact), terraformSees(t, compact)
		if !got.Equals(want).True() {
			t.Fatalf("%q: Terraform sees %s, want %s", s, got.AsBigFloat().Text('f', -1), want.AsBigFloat().Text('f', -1))
		}
		if gt, wt := got.AsBigFloat().Text('f', -1), want.AsBigFloat().Text('f', -1); gt != wt {
			t.Fatalf("%q: state would hold %s, want %s", s, gt, wt)
		}
	}
	for _, s := range []string{"18450.01", "8.5", "0.1", "1028.58", "-3.99", "123456789.12"} {
		exact, _, _ := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		if c := Compact(exact); c.Prec() > 53 {
			t.Errorf("%s: kept %d bits, want a float64", s, c.Prec())
		}
	}
	if c := Compact(new(big.Float).SetPrec(512).SetInt64(20)); c.Prec() > 64 || !c.IsInt() {
		t.Errorf("20: kept %d bits", c.Prec())
	}
	if Compact(nil) != nil {
		t.Error("Compact(nil) != nil")
	}
}

func BenchmarkCompact(b *testing.B) {
	exact, _, _ := big.ParseFloat("18450.01", 10, 512, big.ToNearestEven)
	for b.Loop() {
		Compact(exact)
	}
}
