package provider

import (
	"context"
	"math/big"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// configuredServer is the provider's protocol server, configured for m's
// pipe.solar API as Terraform would;
// extra sets further provider arguments.
func configuredServer(tb testing.TB, m *mockapi.Server, extra map[string]tftypes.Value) *protocolServer {
	tb.Helper()
	ctx := context.Background()
	srv, ok := NewProtocol6Server("test")().(*protocolServer)
	if !ok {
		tb.Fatal("NewProtocol6Server did not return a *protocolServer")
	}
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	pt, _ := schemas.Provider.ValueType().(tftypes.Object)
	args := map[string]tftypes.Value{
		"api_token": tftypes.NewValue(tftypes.String, testPipeToken),
		"base_url":  tftypes.NewValue(tftypes.String, m.PipeBaseURL()),
	}
	for k, v := range extra {
		args[k] = v
	}
	pcfg, err := tfprotov6.NewDynamicValue(pt, dsObject(pt, args))
	if err != nil {
		tb.Fatal(err)
	}
	cr, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &pcfg, TerraformVersion: "1.11.4"})
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range cr.Diagnostics {
		tb.Fatal(d.Summary, ": ", d.Detail)
	}
	return srv
}

// readProjectsVia reads data pipesolar_projects for orgID through read and
// returns its state and diagnostics.
func readProjectsVia(tb testing.TB, read func(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error), orgID string) (tftypes.Value, []*tfprotov6.Diagnostic) {
	tb.Helper()
	dt, _ := projectsStateType().(tftypes.Object)
	cfg, err := tfprotov6.NewDynamicValue(dt, dsObject(dt, map[string]tftypes.Value{
		"org_id": tftypes.NewValue(tftypes.String, orgID),
	}))
	if err != nil {
		tb.Fatal(err)
	}
	r, err := read(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "pipesolar_projects", Config: &cfg})
	if err != nil {
		tb.Fatal(err)
	}
	if r.State == nil {
		return tftypes.Value{}, r.Diagnostics
	}
	state, err := r.State.Unmarshal(dt)
	if err != nil {
		tb.Fatal(err)
	}
	return state, r.Diagnostics
}

// TestProtocolServer_projectsSameAsFramework checks that the direct read of
// pipesolar_projects returns exactly what the framework's path returns: the
// same value, attribute by attribute, and the same diagnostics, for random
// projects, awkward values, projects listed without ids, and an API error.
func TestProtocolServer_projectsSameAsFramework(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ids, err := m.SeedRandomProjects("org-1", "", 23)
	if err != nil {
		t.Fatal(err)
	}
	// Awkward values the app can hold: a secondary customer, untrimmed and
	// upper-case text, formatted and long numbers, odd dates, no files.
	m.EditProject(ids[0], func(d map[string]any) {
		d["secondaryCustomerFirstName"] = " Bea "
		d["secondaryCustomerEmail"] = "BEA@Example.COM"
		d["contractPrice"] = "123,456,789,012,345,678.9012345"
		d["systemSize"] = "8.50"
		d["financeAPR"] = "0.1"
		d["numberOfPanel"] = "20.0"
		d["submittedDate"] = "2025-03-07"
		d["contractSignedDate"] = "3/7/2025"
		d["allFilesURL"] = map[string]any{}
		d["adders"] = []any{}
	})
	m.EditProject(ids[1], func(d map[string]any) {
		d["customerFirstName"] = ""
		d["estProduction"] = "n/a"
		d["numberOfInverter"] = "1.5"
		d["adders"] = []any{"Roof", " Trenching "}
	})
	compare := func(t *testing.T, srv *protocolServer, org string) []*tfprotov6.Diagnostic {
		t.Helper()
		got, gotDiags := readProjectsVia(t, srv.ReadDataSource, org)
		want, wantDiags := readProjectsVia(t, srv.ProviderServer.ReadDataSource, org)
		// With an error, Terraform ignores the state (the framework sends
		// the configuration back, the direct read nothing).
		if !hasError(wantDiags) && !got.Equal(want) {
			diffs, err := want.Diff(got)
			t.Fatalf("direct read differs from the framework's (%v): %v", err, diffs)
		}
		if len(gotDiags) != len(wantDiags) {
			t.Fatalf("diagnostics %v, want %v", gotDiags, wantDiags)
		}
		for i := range gotDiags {
			g, w := gotDiags[i], wantDiags[i]
			if g.Severity != w.Severity || g.Summary != w.Summary || g.Detail != w.Detail || !g.Attribute.Equal(w.Attribute) {
				t.Errorf("diagnostic %d: %+v, want %+v", i, g, w)
			}
		}
		return gotDiags
	}

	srv := configuredServer(t, m, nil)
	t.Run("projects", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{PageSize: 5})
		if diags := compare(t, srv, "org-1"); len(diags) != 0 {
			t.Errorf("diagnostics: %v", diags)
		}
		got, _ := readProjectsVia(t, srv.ReadDataSource, "org-1")
		var attrs map[string]tftypes.Value
		var projects, gotIDs []tftypes.Value
		if got.As(&attrs) != nil || attrs["projects"].As(&projects) != nil || attrs["ids"].As(&gotIDs) != nil {
			t.Fatalf("state %s", got)
		}
		if len(projects) != len(ids) || len(gotIDs) != len(ids) {
			t.Fatalf("%d projects, %d ids; want %d", len(projects), len(gotIDs), len(ids))
		}
	})
	t.Run("without ids", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{ListIDKey: "none"})
		diags := compare(t, srv, "org-1")
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
			!diags[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("ids")) {
			t.Errorf("diagnostics %v, want one warning on ids", diags)
		}
	})
	t.Run("empty org", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{})
		compare(t, srv, "org-none")
	})
	t.Run("API error", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{})
		m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointListOrg}})
		defer m.SetFaults(mockapi.Faults{})
		srv := configuredServer(t, m, map[string]tftypes.Value{"max_retries": tftypes.NewValue(tftypes.Number, 0)})
		diags := compare(t, srv, "org-1")
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
			t.Errorf("diagnostics %v, want one error", diags)
		}
	})
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// TestProtocolServer_unchangedPlanNeedsNoFramework guards the fast path of
// PlanResourceChange: it skips the framework's defaults and attribute plan
// modifiers, so pipesolar_project must have none. Adding one means taking
// that fast path out (or teaching it the new rule).
func TestProtocolServer_unchangedPlanNeedsNoFramework(t *testing.T) {
	t.Parallel()
	var resp resource.SchemaResponse
	NewProjectResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	var check func(where string, v reflect.Value)
	check = func(where string, v reflect.Value) {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return
		}
		if f := v.FieldByName("PlanModifiers"); f.IsValid() && f.Len() > 0 {
			t.Errorf("%s has plan modifiers", where)
		}
		if f := v.FieldByName("Default"); f.IsValid() && !f.IsNil() {
			t.Errorf("%s has a default", where)
		}
		for _, field := range []string{"Attributes", "Blocks"} {
			if f := v.FieldByName(field); f.IsValid() && f.Kind() == reflect.Map {
				for _, k := range f.MapKeys() {
					check(where+"."+k.String(), f.MapIndex(k))
				}
			}
		}
		if f := v.FieldByName("NestedObject"); f.IsValid() {
			check(where, f)
		}
	}
	check("pipesolar_project", reflect.ValueOf(resp.Schema))
	if len(resp.Schema.Attributes) < 10 {
		t.Fatalf("walked %d attributes; the schema walk is broken", len(resp.Schema.Attributes))
	}
}

// TestProtocolServer_unchangedPlanSameAsFramework checks that the fast path
// answers an unchanged plan exactly as the framework does, and that any
// difference goes to the framework.
func TestProtocolServer_unchangedPlanSameAsFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := configuredServer(t, newTestMock(t), nil)
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ, _ := schemas.ResourceSchemas["pipesolar_project"].ValueType().(tftypes.Object)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(s string) tftypes.Value {
		f, _, _ := big.ParseFloat(s, 10, 512, big.ToNearestEven)
		return tftypes.NewValue(tftypes.Number, f)
	}
	args := map[string]tftypes.Value{
		"address": str("1 Solar St"), "first_name": str("Ada"), "last_name": str("Lovelace"),
		"email": str("ada@example.com"), "phone_number": str("555-0100"), "org_id": str("org-1"),
		"sales_rep": str("rep@example.com"), "setter": str("setter@example.com"),
		"system_size": num("8.5"), "system_cost": num("18450.01"), "project_stage": str("Proposal"),
	}
	config := dsObject(typ, args)
	stateArgs := map[string]tftypes.Value{"id": str("P1"), "customer_city": str("Sunville"), "finance_amount": num("18450.01")}
	for k, v := range args {
		stateArgs[k] = v
	}
	state := dsObject(typ, stateArgs)
	dv := func(v tftypes.Value) *tfprotov6.DynamicValue {
		d, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	changed := map[string]tftypes.Value{"project_stage": str("Installation")}
	for k, v := range stateArgs {
		if _, ok := changed[k]; !ok {
			changed[k] = v
		}
	}
	for name, proposed := range map[string]tftypes.Value{"unchanged": state, "stage changed": dsObject(typ, changed)} {
		t.Run(name, func(t *testing.T) {
			req := func() *tfprotov6.PlanResourceChangeRequest {
				return &tfprotov6.PlanResourceChangeRequest{
					TypeName: "pipesolar_project", PriorState: dv(state), ProposedNewState: dv(proposed), Config: dv(config),
				}
			}
			if got, want := unchangedPlan(req()), name == "unchanged"; got != want {
				t.Fatalf("unchangedPlan = %v, want %v", got, want)
			}
			got, err := srv.PlanResourceChange(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			want, err := srv.ProviderServer.PlanResourceChange(ctx, req())
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Diagnostics) != 0 || len(want.Diagnostics) != 0 {
				t.Fatalf("diagnostics %v, framework %v", got.Diagnostics, want.Diagnostics)
			}
			gotPlan, err1 := got.PlannedState.Unmarshal(typ)
			wantPlan, err2 := want.PlannedState.Unmarshal(typ)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !gotPlan.Equal(wantPlan) {
				diffs, _ := wantPlan.Diff(gotPlan)
				t.Errorf("planned state differs from the framework's: %v", diffs)
			}
			if len(got.RequiresReplace) != 0 || len(want.RequiresReplace) != 0 {
				t.Errorf("requires replace %v, framework %v", got.RequiresReplace, want.RequiresReplace)
			}
		})
	}
}
