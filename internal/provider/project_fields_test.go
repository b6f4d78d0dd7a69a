package provider

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestProjectField_sameValue: what pipe.solar stores the same never differs
// (trimmed text, an email's case, a decimal to the cent, padded list
// elements), and anything else does.
func TestProjectField_sameValue(t *testing.T) {
	t.Parallel()
	num := func(s string) types.Number {
		f, _, _ := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		return types.NumberValue(f)
	}
	list := func(items ...string) types.List {
		vals := make([]attr.Value, len(items))
		for i, it := range items {
			vals[i] = types.StringValue(it)
		}
		return types.ListValueMust(types.StringType, vals)
	}
	fields := projectFieldByName()
	cases := []struct {
		field string
		a, b  attr.Value
		want  bool
	}{
		{"first_name", types.StringValue(" Ada "), types.StringValue("Ada"), true},
		{"first_name", types.StringValue("Ada"), types.StringValue("ada"), false},
		{"email", types.StringValue("Ada@Example.COM "), types.StringValue("ada@example.com"), true},
		{"email", types.StringValue("ada@example.com"), types.StringValue("bob@example.com"), false},
		{"system_size", num("8.5"), num("8.50"), true},
		{"system_size", num("2.9"), num("3.1"), false},
		{"system_size", types.NumberNull(), types.NumberNull(), true},
		{"system_size", types.NumberNull(), num("0"), false},
		{"adders", list(" Roof work ", "Trenching"), list("Roof work", "Trenching "), true},
		{"adders", list("Roof work"), list("roof work"), false},
		{"adders", list("Roof work"), list("Roof work", "Trenching"), false},
		{"project_stage", types.StringUnknown(), types.StringValue("NTP"), false},
		{"customer_city", types.StringValue(" Austin"), types.StringValue("Austin"), false}, // read-only: as stored
	}
	for _, tc := range cases {
		if got := fields[tc.field].sameValue(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: sameValue(%s, %s) = %v, want %v", tc.field, tc.a, tc.b, got, tc.want)
		}
	}
}

// TestCreateProjectInput_trimmed: create_project receives every text
// argument trimmed, org_id included (Bubble matches an org id exactly), and
// the org whose listing reconciles an ambiguous create is the trimmed one.
func TestCreateProjectInput_trimmed(t *testing.T) {
	t.Parallel()
	vals := map[string]attr.Value{
		"org_id":     types.StringValue("  org-1 "),
		"first_name": types.StringValue(" Ada "),
		"adders":     types.ListValueMust(types.StringType, []attr.Value{types.StringValue(" Roof work ")}),
	}
	in := createProjectInput(vals)
	if in.OrgID != "org-1" || in.Body["org_id"] != "org-1" || in.Body["first_name"] != "Ada" {
		t.Errorf("OrgID %q, body org_id %q, first_name %q; want org-1, org-1, Ada", in.OrgID, in.Body["org_id"], in.Body["first_name"])
	}
	if adders, _ := in.Body["adders"].([]string); len(adders) != 1 || adders[0] != "Roof work" {
		t.Errorf("adders %q, want [Roof work]", in.Body["adders"])
	}
}

// TestProjectField_nullAndUnknown: every field has a null and an unknown
// value of its own type (plan rules and Read store them in state).
func TestProjectField_nullAndUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for i := range projectFields {
		f := &projectFields[i]
		null, unknown := f.null(), f.unknown()
		if !null.IsNull() || !unknown.IsUnknown() {
			t.Errorf("%s: null() %s, unknown() %s", f.name, null, unknown)
		}
		for _, v := range []attr.Value{null, unknown} {
			if !v.Type(ctx).Equal(f.attrType()) {
				t.Errorf("%s: %s has type %s, want %s", f.name, v, v.Type(ctx), f.attrType())
			}
		}
	}
}
