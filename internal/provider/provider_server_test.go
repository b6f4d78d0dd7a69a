package provider

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// configuredServer is the provider's protocol server (NewProtocol6Server),
// configured for m's pipe.solar API as Terraform would; extra sets further
// provider arguments.
func configuredServer(tb testing.TB, m *mockapi.Server, extra map[string]tftypes.Value) tfprotov6.ProviderServer {
	tb.Helper()
	srv, err := NewProtocol6Server("test")()
	if err != nil {
		tb.Fatal(err)
	}
	configure(tb, srv, m, extra)
	return srv
}

// frameworkServer is the provider served by the framework alone (New),
// configured like configuredServer: what the fast paths are compared with.
func frameworkServer(tb testing.TB, m *mockapi.Server, extra map[string]tftypes.Value) tfprotov6.ProviderServer {
	tb.Helper()
	srv := providerserver.NewProtocol6(New("test")())()
	configure(tb, srv, m, extra)
	return srv
}

func configure(tb testing.TB, srv tfprotov6.ProviderServer, m *mockapi.Server, extra map[string]tftypes.Value) {
	tb.Helper()
	ctx := context.Background()
	pt, _ := providerSchemas(tb, srv).Provider.ValueType().(tftypes.Object)
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

// TestProjectsServer_sameAsFramework checks that projectsServer's read of
// pipesolar_projects returns exactly what the framework's path returns: the
// same value, attribute by attribute (strings, numbers, whole numbers,
// lists, maps and objects, from projectFields), and the same diagnostics,
// for random projects, awkward values, projects listed without ids, and an
// API error.
func TestProjectsServer_sameAsFramework(t *testing.T) {
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
	m.EditProject(ids[2], func(d map[string]any) {
		d["allFilesURL"] = map[string]any{"surveyFiles": "https://files.example.com/s", "newFolder": " https://files.example.com/n "}
	})
	m.EditProject(ids[1], func(d map[string]any) {
		d["customerFirstName"] = ""
		d["estProduction"] = "n/a"
		d["numberOfInverter"] = "1.5"
		d["adders"] = []any{"Roof", " Trenching "}
	})
	compare := func(t *testing.T, extra map[string]tftypes.Value, org string) []*tfprotov6.Diagnostic {
		t.Helper()
		got, gotDiags := readProjectsVia(t, configuredServer(t, m, extra).ReadDataSource, org)
		want, wantDiags := readProjectsVia(t, frameworkServer(t, m, extra).ReadDataSource, org)
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
		if diags := compare(t, nil, "org-1"); len(diags) != 0 {
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
	t.Run("padded org id", func(t *testing.T) {
		// The list resource and the import guide's recipe trim the filter;
		// the data source asks for the same org, and keeps the configured
		// value in its state (Terraform requires it).
		m.SetPipeBehaviour(mockapi.PipeBehaviour{})
		compare(t, nil, " org-1 ")
		got, _ := readProjectsVia(t, srv.ReadDataSource, " org-1 ")
		var attrs map[string]tftypes.Value
		var gotIDs []tftypes.Value
		if got.As(&attrs) != nil || attrs["ids"].As(&gotIDs) != nil {
			t.Fatalf("state %s", got)
		}
		if len(gotIDs) != len(ids) || !attrs["org_id"].Equal(tfString(" org-1 ")) {
			t.Errorf("%d ids (want %d), org_id %s (want the configured \" org-1 \")", len(gotIDs), len(ids), attrs["org_id"])
		}
	})
	t.Run("without ids", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{ListIDKey: "none"})
		diags := compare(t, nil, "org-1")
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
			!diags[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("ids")) {
			t.Errorf("diagnostics %v, want one warning on ids", diags)
		}
	})
	t.Run("empty org", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{})
		compare(t, nil, "org-none")
	})
	t.Run("API error", func(t *testing.T) {
		m.SetPipeBehaviour(mockapi.PipeBehaviour{})
		m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointListOrg}})
		defer m.SetFaults(mockapi.Faults{})
		diags := compare(t, map[string]tftypes.Value{"max_retries": tftypes.NewValue(tftypes.Number, 0)}, "org-1")
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

// TestProvider_typeNames: each resource, data source and list resource
// answers its own type name (resourceBase and dataSourceBase build it), in
// both servers.
func TestProvider_typeNames(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"resource": {"pipesolar_activity", "pipesolar_project", "pipesolar_project_file", "pipesolar_project_stage",
			"pipesolar_upowr_charge", "pipesolar_upowr_file", "pipesolar_upowr_project"},
		"data source":   {"pipesolar_project", "pipesolar_projects"},
		"list resource": {"pipesolar_project"},
	}
	for name, newServer := range map[string]func() (tfprotov6.ProviderServer, error){
		"NewProtocol6Server": NewProtocol6Server("test"),
		"framework alone":    providerserver.NewProtocol6WithError(New("test")()),
	} {
		srv, err := newServer()
		if err != nil {
			t.Fatal(err)
		}
		resp := providerSchemas(t, srv)
		for kind, schemas := range map[string]map[string]*tfprotov6.Schema{
			"resource": resp.ResourceSchemas, "data source": resp.DataSourceSchemas, "list resource": resp.ListResourceSchemas,
		} {
			if got := slices.Sorted(maps.Keys(schemas)); !slices.Equal(got, want[kind]) {
				t.Errorf("%s: %s types %v, want %v", name, kind, got, want[kind])
			}
		}
	}
}

// TestProvider_configure: every resource, data source and list resource
// accepts the provider's data, accepts none (the framework configures them
// before the provider is configured, too), and reports anything else as a
// bug instead of panicking.
func TestProvider_configure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := newProvider("test", allTypes, nil)
	type configurer func(data any) diag.Diagnostics
	var all []configurer
	for _, newR := range p.Resources(ctx) {
		all = append(all, func(data any) diag.Diagnostics {
			var resp resource.ConfigureResponse
			newR().(resource.ResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		})
	}
	for _, newD := range p.DataSources(ctx) {
		all = append(all, func(data any) diag.Diagnostics {
			var resp datasource.ConfigureResponse
			newD().(datasource.DataSourceWithConfigure).Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		})
	}
	for _, newL := range p.ListResources(ctx) {
		all = append(all, func(data any) diag.Diagnostics {
			var resp resource.ConfigureResponse
			newL().(list.ListResourceWithConfigure).Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		})
	}
	if len(all) != 10 {
		t.Fatalf("%d resources, data sources and list resources, want 10", len(all))
	}
	for i, configure := range all {
		if diags := configure(&providerData{}); diags.HasError() {
			t.Errorf("#%d: provider data refused: %v", i, diags)
		}
		if diags := configure(nil); diags.HasError() {
			t.Errorf("#%d: no provider data refused: %v", i, diags)
		}
		if diags := configure("not provider data"); !diags.HasError() || diags[0].Summary() != "Unexpected provider data" {
			t.Errorf("#%d: wrong provider data gave %v, want the error Unexpected provider data", i, diags)
		}
	}
}
