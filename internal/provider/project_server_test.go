package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// projectsOfEveryShape is a mock holding three projects of org-1: one with
// a secondary customer, folder URLs and adders, one with none of them
// (empty map and list), and one as seeded.
func projectsOfEveryShape(t *testing.T) (*mockapi.Server, []string) {
	t.Helper()
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
	return m, ids
}

// TestProjectServer_unchangedPlanSameAsFramework compares projectServer's
// answer to an unchanged plan with the framework's own (New), for projects
// whose state holds lists (adders), maps (file_urls), an object
// (secondary_customer), decimals and whole numbers, with their identity; and
// checks that a changed plan goes to the framework. Terraform before 1.12
// sends no identity: the shortcut answers a null one, as the framework does.
func TestProjectServer_unchangedPlanSameAsFramework(t *testing.T) {
	t.Parallel()
	m, ids := projectsOfEveryShape(t)
	mux, fw, pt, _ := servers(t, m, nil)

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
			got, want := sameCall(t, req, mux.PlanResourceChange, fw.PlanResourceChange)
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

// TestProjectServer_readShortcutFollowsSchema: the read shortcut is on for
// today's schema, and off for a schema with anything the framework's walks
// around Read would act on.
func TestProjectServer_readShortcutFollowsSchema(t *testing.T) {
	t.Parallel()
	if !readShortcutAllowed() {
		t.Fatal("pipesolar_project's schema has a semantic-equality type, a write-only attribute or a list or set block: the read shortcut is off (see project_server_read.go)")
	}
	plain := schema.StringAttribute{Optional: true}
	for name, s := range map[string]schema.Schema{
		"semantic equality": {Attributes: map[string]schema.Attribute{"j": schema.StringAttribute{
			Optional: true, CustomType: jsontypes.NormalizedType{}}}},
		"semantic equality in a list": {Attributes: map[string]schema.Attribute{"l": schema.ListAttribute{
			Optional: true, ElementType: jsontypes.NormalizedType{}}}},
		"semantic equality in a nested attribute": {Attributes: map[string]schema.Attribute{"o": schema.SingleNestedAttribute{
			Optional: true, Attributes: map[string]schema.Attribute{"j": schema.StringAttribute{
				Optional: true, CustomType: jsontypes.NormalizedType{}}}}}},
		"write-only": {Attributes: map[string]schema.Attribute{"w": schema.StringAttribute{Optional: true, WriteOnly: true}}},
		"list block": {Attributes: map[string]schema.Attribute{"x": plain}, Blocks: map[string]schema.Block{
			"b": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{"x": plain}}}}},
		"semantic equality in a single block": {Attributes: map[string]schema.Attribute{"x": plain}, Blocks: map[string]schema.Block{
			"b": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{"j": schema.StringAttribute{
				Optional: true, CustomType: jsontypes.NormalizedType{}}}}}},
	} {
		if plainSchema(s) {
			t.Errorf("%s: not seen", name)
		}
	}
}

// TestProjectServer_readSameAsFramework compares projectServer's
// ReadResource with the framework's own (New), byte for byte: state,
// identity, private data and diagnostics. The projects' states hold lists
// (adders), maps (file_urls), an object (secondary_customer) and the
// timeouts block; the cases cover an unchanged read, drift, no identity
// (Terraform before 1.12), an identity that does not match, a project gone,
// an API error, and private data (which goes to the framework).
func TestProjectServer_readSameAsFramework(t *testing.T) {
	t.Parallel()
	m, ids := projectsOfEveryShape(t)
	noRetries := map[string]tftypes.Value{"max_retries": tftypes.NewValue(tftypes.Number, 0)}
	mux, fw, pt, ps := servers(t, m, noRetries)
	if !readShortcutAllowed() {
		t.Fatal("the read shortcut is off for today's schema")
	}
	identityOf := func(id string) *tfprotov6.ResourceIdentityData {
		return &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, pt.projectIdentity,
			tftypes.NewValue(pt.projectIdentity, map[string]tftypes.Value{"id": tfString(id)}))}
	}

	for _, id := range ids {
		state, _, diags := importAndRead(t, mux, pt, &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", ID: id})
		failOnErrors(t, diags)
		state["org_id"] = tfString("org-1")
		state["sales_rep"] = tfString("rep@example.com")
		withTimeouts := maps.Clone(state)
		timeoutsType := pt.project.AttributeTypes["timeouts"].(tftypes.Object)
		withTimeouts["timeouts"] = tftypes.NewValue(timeoutsType, map[string]tftypes.Value{
			"create": tftypes.NewValue(tftypes.String, nil), "update": tftypes.NewValue(tftypes.String, nil), "read": tfString("2m"),
		})
		stale := maps.Clone(state)
		stale["first_name"] = tfString("Before")
		stale["project_stage"] = tfString("Lead")

		cases := []readCase{
			{name: "unchanged", state: state, identity: identityOf(id)},
			{name: "timeouts set", state: withTimeouts, identity: identityOf(id)},
			{name: "changed in the app", state: stale, identity: identityOf(id)},
			{name: "no identity (Terraform < 1.12)", state: state},
			{name: "identity of another project", state: state, identity: identityOf("OTHER00000")},
			{name: "private data", state: state, identity: identityOf(id), private: []byte(`{"k":"dg=="}`)},
			{name: "API error", state: state, identity: identityOf(id),
				before: func() { m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointFetchProject}}) },
				after:  func() { m.SetFaults(mockapi.Faults{}) }},
		}
		if id == ids[2] {
			cases = append(cases, readCase{name: "gone", state: state, identity: identityOf(id), before: func() { m.DeleteProject(id) }})
		}
		for _, tc := range cases {
			req := func() *tfprotov6.ReadResourceRequest {
				return &tfprotov6.ReadResourceRequest{
					TypeName: "pipesolar_project", CurrentState: dynamic(t, pt.project, tftypes.NewValue(pt.project, tc.state)),
					CurrentIdentity: tc.identity, Private: tc.private,
				}
			}
			if tc.before != nil {
				tc.before()
			}
			got, want := sameCall(t, req, mux.ReadResource, fw.ReadResource)
			if tc.after != nil {
				tc.after()
			}
			what := id + " " + tc.name
			if diagnosticsText(got.Diagnostics) != diagnosticsText(want.Diagnostics) {
				t.Errorf("%s: diagnostics\n got %v\nwant %v", what, diagnosticsText(got.Diagnostics), diagnosticsText(want.Diagnostics))
			}
			// tftypes writes a map's entries in Go's map order, so equal
			// states need not be equal bytes: compare the values.
			if gotState, wantState := unmarshalled(t, pt.project, got.NewState), unmarshalled(t, pt.project, want.NewState); !gotState.Equal(wantState) {
				t.Errorf("%s: state\n got %v\nwant %v", what, gotState, wantState)
			}
			if (got.NewIdentity == nil) != (want.NewIdentity == nil) || got.NewIdentity != nil &&
				!bytes.Equal(msgpackOf(got.NewIdentity.IdentityData), msgpackOf(want.NewIdentity.IdentityData)) {
				t.Errorf("%s: identity %v, framework %v", what, got.NewIdentity, want.NewIdentity)
			}
			if !bytes.Equal(got.Private, want.Private) || got.Deferred != nil || want.Deferred != nil {
				t.Errorf("%s: private %q deferred %v, framework %q %v", what, got.Private, got.Deferred, want.Private, want.Deferred)
			}
		}
	}
	// Every case but "private data" is the shortcut's (the reads after
	// the imports above, with the framework's import marker, are not).
	if n := ps.reads.Load(); n != 3*6+1 {
		t.Errorf("the shortcut answered %d reads, want 19", n)
	}
}

// servers returns the provider's server and the framework's, both
// configured for m with the extra provider arguments, their types, and the
// provider's projectServer.
func servers(t *testing.T, m *mockapi.Server, extra map[string]tftypes.Value) (mux, fw tfprotov6.ProviderServer, pt protoTypes, ps *projectServer) {
	t.Helper()
	mux, ps, err := newProtocol6Server("test")
	if err != nil {
		t.Fatal(err)
	}
	configure(t, mux, m, extra)
	return mux, frameworkServer(t, m, extra), serverTypes(t, mux), ps
}

// readCase is one ReadResource request of
// TestProjectServer_readSameAsFramework, with what to do to the mock
// before and after it.
type readCase struct {
	name          string
	state         map[string]tftypes.Value
	identity      *tfprotov6.ResourceIdentityData
	private       []byte
	before, after func()
}

// sameCall makes one RPC to the provider's server (mux) and to the
// framework's (fw) with equal requests, and returns both answers.
func sameCall[Req, Resp any](t *testing.T, req func() Req, mux, fw func(context.Context, Req) (Resp, error)) (got, want Resp) {
	t.Helper()
	var err error
	if got, err = mux(context.Background(), req()); err != nil {
		t.Fatal(err)
	}
	if want, err = fw(context.Background(), req()); err != nil {
		t.Fatal(err)
	}
	return got, want
}

// unmarshalled decodes a state; a null value for none.
func unmarshalled(t *testing.T, typ tftypes.Type, v *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if v == nil {
		return tftypes.NewValue(tftypes.Bool, nil) // differs from every state, even a null one
	}
	out, err := v.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// msgpackOf is a value's msgpack encoding; nil for none.
func msgpackOf(v *tfprotov6.DynamicValue) []byte {
	if v == nil {
		return nil
	}
	if len(v.JSON) > 0 {
		return append([]byte("json:"), v.JSON...)
	}
	return v.MsgPack
}

func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%v %q %q %v] ", d.Severity, d.Summary, d.Detail, d.Attribute)
	}
	return b.String()
}

// TestProjectServer_upgradeSameAsFramework compares projectServer's
// UpgradeResourceState with the framework's for JSON states as Terraform
// stores them: with lists, maps, an object and the timeouts block; with an
// attribute the schema no longer has; with one missing; with a value of the
// wrong type (an error, from the framework); and of another schema version.
func TestProjectServer_upgradeSameAsFramework(t *testing.T) {
	t.Parallel()
	m, ids := projectsOfEveryShape(t)
	mux, fw, pt, ps := servers(t, m, nil)

	type upgradeCase struct {
		name    string
		json    map[string]any
		version int64
		answer  bool // the shortcut answers it
	}
	var cases []upgradeCase
	for _, id := range ids {
		state, _, diags := importAndRead(t, mux, pt, &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", ID: id})
		failOnErrors(t, diags)
		state["org_id"] = tfString("org-1")
		full := jsonOf(tftypes.NewValue(pt.project, state)).(map[string]any)
		full["timeouts"] = map[string]any{"read": "2m", "create": nil, "update": nil}
		removed := maps.Clone(full)
		removed["attribute_of_an_older_version"] = "x"
		missing := maps.Clone(full)
		delete(missing, "customer_city")
		wrongType := maps.Clone(full)
		wrongType["panel_count"] = []any{"not a number"}
		cases = append(cases,
			upgradeCase{id + " state", full, 0, true},
			upgradeCase{id + " attribute no longer in the schema", removed, 0, true},
			upgradeCase{id + " attribute missing", missing, 0, true},
			upgradeCase{id + " value of the wrong type", wrongType, 0, false},
			upgradeCase{id + " other version", full, 1, false},
		)
	}
	for _, tc := range cases {
		raw, err := json.Marshal(tc.json)
		if err != nil {
			t.Fatal(err)
		}
		req := func() *tfprotov6.UpgradeResourceStateRequest {
			return &tfprotov6.UpgradeResourceStateRequest{TypeName: "pipesolar_project", Version: tc.version, RawState: &tfprotov6.RawState{JSON: raw}}
		}
		before := ps.upgrades.Load()
		got, want := sameCall(t, req, mux.UpgradeResourceState, fw.UpgradeResourceState)
		if answered := ps.upgrades.Load() > before; answered != tc.answer {
			t.Errorf("%s: answered by the shortcut = %v, want %v", tc.name, answered, tc.answer)
		}
		if diagnosticsText(got.Diagnostics) != diagnosticsText(want.Diagnostics) {
			t.Errorf("%s: diagnostics\n got %v\nwant %v", tc.name, diagnosticsText(got.Diagnostics), diagnosticsText(want.Diagnostics))
		}
		if gotState, wantState := unmarshalled(t, pt.project, got.UpgradedState), unmarshalled(t, pt.project, want.UpgradedState); !gotState.Equal(wantState) {
			t.Errorf("%s: state\n got %v\nwant %v", tc.name, gotState, wantState)
		}
	}
	if n := ps.upgrades.Load(); n != 9 {
		t.Errorf("the shortcut answered %d upgrades, want 9", n)
	}
}

// jsonOf is a value as Terraform writes it in a state file's attributes.
func jsonOf(v tftypes.Value) any {
	if v.IsNull() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case v.Type().Is(tftypes.Number):
		var f big.Float
		_ = v.As(&f)
		return json.Number(f.Text('g', -1))
	case v.Type().Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}), v.Type().Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		out := []any{}
		for _, e := range elems {
			out = append(out, jsonOf(e))
		}
		return out
	default: // maps and objects
		var members map[string]tftypes.Value
		_ = v.As(&members)
		out := map[string]any{}
		for k, e := range members {
			out[k] = jsonOf(e)
		}
		return out
	}
}
