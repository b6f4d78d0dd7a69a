package statecodec

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestCompactMsgPack_sameAsTFTypes compacts the numbers of random values
// as Terraform sends them (decimals read from JSON at 512 bits, written as
// text) and compares the result with tftypes' encoding of the compacted
// value.
func TestCompactMsgPack_sameAsTFTypes(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	rewritten := 0
	for i := range 2000 {
		typ, raw, tfValue := randomState(t, r)
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
