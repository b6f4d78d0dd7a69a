package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stateOf is a value of r's schema with every attribute null but id.
func stateOf(t *testing.T, r fwresource.Resource, id string) (tfsdk.State, tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	var s fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &s)
	typ := s.Schema.Type().TerraformType(ctx).(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, id)
	v := tftypes.NewValue(typ, attrs)
	return tfsdk.State{Schema: s.Schema, Raw: v}, v
}

// TestReplaceOnlyUpdate: the resources whose every argument replaces store
// the plan as it is, with no API call (they have no client here: a call
// would fail).
func TestReplaceOnlyUpdate(t *testing.T) {
	for name, r := range map[string]fwresource.Resource{
		"activity":     NewActivityResource(),
		"project_file": NewProjectFileResource(),
		"upowr_charge": NewUPowrChargeResource(),
		"upowr_file":   NewUPowrFileResource(),
	} {
		t.Run(name, func(t *testing.T) {
			prior, _ := stateOf(t, r, "old")
			planned, want := stateOf(t, r, "new")
			resp := fwresource.UpdateResponse{State: tfsdk.State{Schema: prior.Schema, Raw: tftypes.NewValue(want.Type(), nil)}}
			r.Update(context.Background(), fwresource.UpdateRequest{
				State: prior,
				Plan:  tfsdk.Plan(planned),
			}, &resp)
			if resp.Diagnostics.HasError() {
				t.Fatalf("Update: %v", resp.Diagnostics)
			}
			if !resp.State.Raw.Equal(want) {
				t.Errorf("Update stored %v, want the plan %v", resp.State.Raw, want)
			}
		})
	}
}

// TestStateKeptRead: the resources their API cannot read (the UPowr ones,
// and pipesolar_activity, which v1 cannot even create) keep their state
// exactly, with no API call.
func TestStateKeptRead(t *testing.T) {
	for name, r := range map[string]fwresource.Resource{
		"activity":     NewActivityResource(),
		"upowr_charge": NewUPowrChargeResource(),
		"upowr_file":   NewUPowrFileResource(),
	} {
		t.Run(name, func(t *testing.T) {
			state, want := stateOf(t, r, "kept")
			resp := fwresource.ReadResponse{State: state}
			r.Read(context.Background(), fwresource.ReadRequest{State: state}, &resp)
			if len(resp.Diagnostics) != 0 || !resp.State.Raw.Equal(want) {
				t.Errorf("Read: state %v, diagnostics %v; want the state unchanged and no diagnostics", resp.State.Raw, resp.Diagnostics)
			}
		})
	}
}

// TestStateOnlyDestroy_detail: each destroy warning's detail has a verb for
// every attribute it names, and names attributes of its own resource.
func TestStateOnlyDestroy_detail(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		r fwresource.Resource
		w stateOnlyDestroy
	}{
		{NewProjectStageResource(), projectStageDestroy},
		{NewActivityResource(), activityDestroy},
		{NewProjectFileResource(), projectFileDestroy},
		{NewUPowrFileResource(), upowrFileDestroy},
	} {
		state, _ := stateOf(t, c.r, "ID1")
		var diags diag.Diagnostics
		c.w.warn(context.Background(), c.w.summary, state, &diags)
		if diags.HasError() || len(diags) != 1 || strings.Contains(diags[0].Detail(), "%!") {
			t.Errorf("%T: %v", c.r, diags)
		}
	}
}
