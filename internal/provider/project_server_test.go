package provider

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestProjectServer_unchangedPlanSameAsFramework compares projectServer's
// answer to an unchanged plan with the framework's own (New), for projects
// whose state holds lists (adders), maps (file_urls), an object
// (secondary_customer), decimals and whole numbers, with their identity; and
// checks that a changed plan goes to the framework. Terraform before 1.12
// sends no identity: the shortcut answers a null one, as the framework does.
func TestProjectServer_unchangedPlanSameAsFramework(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ids := seedOrg(t, m, "org-1", 3)
	m.EditProject(ids[0], func(d map[string]any) {
		d["secondaryCustomerFirstName"] = "Bea"
		d["secondaryCustomerEmail"] = "BEA@Example.COM"
		d["allFilesURL"] = map[string]any{"surveyFiles": "https://files.example.com/s", "permits": "https://files.example.com/p"}
		d["adders"] = []any{"Roof", "Trenching"}
	})
	m.EditProject(ids[1], func(d map[string]any) {
		d["allFilesURL"] = map[string]any{}
		d["adders"] = []any{}
	})
	mux := configuredServer(t, m, nil)
	fw := frameworkServer(t, m, nil)
	pt := serverTypes(t, mux)
	ctx := context.Background()

	for _, id := range ids {
		state, identity, diags := importAndRead(t, mux, pt, &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", ID: id})
		failOnErrors(t, diags)
		stateValue := tftypes.NewValue(pt.project, state)
		priorIdentity := &tfprotov6.ResourceIdentityData{
			IdentityData: dynamic(t, pt.projectIdentity, tftypes.NewValue(pt.projectIdentity, identity)),
		}
		config := map[string]tftypes.Value{}
		for i := range projectFields {
			if f := &projectFields[i]; f.arg {
				config[f.name] = state[f.name]
			}
		}
		changed := map[string]tftypes.Value{}
		for k, v := range state {
			changed[k] = v
		}
		changed["project_stage"] = tfString("Installation")
		cases := map[string]struct {
			proposed tftypes.Value
			identity *tfprotov6.ResourceIdentityData
			shortcut bool
		}{
			"unchanged":                      {stateValue, priorIdentity, true},
			"stage changed":                  {tftypes.NewValue(pt.project, changed), priorIdentity, false},
			"no identity (Terraform < 1.12)": {stateValue, nil, true},
		}
		for name, tc := range cases {
			// Terraform encodes equal values to equal bytes (cty sorts map
			// keys; tftypes does not), so an unchanged proposal is the prior
			// state's own encoding.
			prior := dynamic(t, pt.project, stateValue)
			proposed := prior
			if !tc.proposed.Equal(stateValue) {
				proposed = dynamic(t, pt.project, tc.proposed)
			}
			req := func() *tfprotov6.PlanResourceChangeRequest {
				return &tfprotov6.PlanResourceChangeRequest{
					TypeName: "pipesolar_project", PriorState: prior,
					ProposedNewState: proposed, PriorIdentity: tc.identity,
					Config: dynamic(t, pt.project, dsObject(pt.project, config)),
				}
			}
			if got := unchangedPlan(req()); got != tc.shortcut {
				t.Errorf("%s %s: unchangedPlan = %v, want %v", id, name, got, tc.shortcut)
			}
			got, err := mux.PlanResourceChange(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			want, err := fw.PlanResourceChange(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			failOnErrors(t, got.Diagnostics)
			if len(got.Diagnostics) != len(want.Diagnostics) {
				t.Errorf("%s %s: diagnostics %v, framework %v", id, name, got.Diagnostics, want.Diagnostics)
			}
			gotPlan := decoded(t, pt.project, got.PlannedState)
			wantPlan := decoded(t, pt.project, want.PlannedState)
			if !reflect.DeepEqual(gotPlan, wantPlan) {
				t.Errorf("%s %s: planned state differs from the framework's:\n got %v\nwant %v", id, name, gotPlan, wantPlan)
			}
			if (got.PlannedIdentity == nil) != (want.PlannedIdentity == nil) ||
				got.PlannedIdentity != nil && !reflect.DeepEqual(
					decoded(t, pt.projectIdentity, got.PlannedIdentity.IdentityData),
					decoded(t, pt.projectIdentity, want.PlannedIdentity.IdentityData)) {
				t.Errorf("%s %s: planned identity %v, framework %v", id, name, got.PlannedIdentity, want.PlannedIdentity)
			}
			if !bytes.Equal(got.PlannedPrivate, want.PlannedPrivate) || len(got.RequiresReplace) != len(want.RequiresReplace) {
				t.Errorf("%s %s: private %q / replace %v, framework %q / %v", id, name,
					got.PlannedPrivate, got.RequiresReplace, want.PlannedPrivate, want.RequiresReplace)
			}
		}
	}
}

// TestProjectServer_shortcutFollowsSchema: the shortcut is on for today's
// schema, and the schema walk that decides it sees a plan modifier or a
// default anywhere (so an attribute added with one turns it off).
func TestProjectServer_shortcutFollowsSchema(t *testing.T) {
	t.Parallel()
	if !shortcutAllowed() {
		t.Fatal("pipesolar_project's schema has a default or a plan modifier: the unchanged-plan shortcut is off (see project_server.go)")
	}
	for name, s := range map[string]schema.Schema{
		"plan modifier": {Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{
			Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}}},
		"default": {Attributes: map[string]schema.Attribute{"x": schema.StringAttribute{
			Optional: true, Computed: true, Default: stringdefault.StaticString("a")}}},
		"nested plan modifier": {Attributes: map[string]schema.Attribute{"o": schema.SingleNestedAttribute{
			Optional: true, Attributes: map[string]schema.Attribute{"x": schema.StringAttribute{
				Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}}}}},
	} {
		if !hasPlanRules(reflect.ValueOf(s)) {
			t.Errorf("%s: not seen", name)
		}
	}
}
