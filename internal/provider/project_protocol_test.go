package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// Resource identity (Terraform 1.12 and later) at the protocol level: these
// run in make test on any Terraform. The end-to-end checks are the
// acceptance tests gated with tfversion.SkipBelow(1.12).

func TestProtocol_identitySchemas(t *testing.T) {
	t.Parallel()
	pt := serverTypes(t, configuredServer(t, newTestMock(t), nil))
	for typeName, attr := range map[string]string{"pipesolar_project": "id", "pipesolar_project_stage": "project_id"} {
		s := pt.identitySchemas[typeName]
		if s == nil {
			t.Errorf("%s has no identity schema", typeName)
			continue
		}
		if len(s.IdentityAttributes) != 1 || s.IdentityAttributes[0].Name != attr ||
			!s.IdentityAttributes[0].RequiredForImport || !s.IdentityAttributes[0].Type.Is(tftypes.String) {
			t.Errorf("%s identity = %+v, want { %s: string, required for import }", typeName, s.IdentityAttributes, attr)
		}
	}
	if len(pt.identitySchemas) != 2 {
		t.Errorf("identity schemas for %d types, want 2", len(pt.identitySchemas))
	}
}

// importAndRead imports a pipesolar_project as Terraform does (by id or by
// identity), then reads it; it returns the state and identity Read stored.
func importAndRead(t *testing.T, srv tfprotov6.ProviderServer, pt protoTypes, req *tfprotov6.ImportResourceStateRequest) (state, identity map[string]tftypes.Value, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	imp, err := srv.ImportResourceState(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, imp.Diagnostics)
	if len(imp.ImportedResources) != 1 {
		t.Fatalf("%d imported resources, want 1", len(imp.ImportedResources))
	}
	ir := imp.ImportedResources[0]
	if ir.Identity == nil {
		t.Fatal("import returned no identity")
	}
	// Read without the identity, as for a state an older provider or
	// Terraform wrote: Read must set it itself.
	read, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: req.TypeName, CurrentState: ir.State, Private: ir.Private,
	})
	if err != nil {
		t.Fatal(err)
	}
	if read.NewIdentity == nil {
		t.Fatal("read returned no identity")
	}
	idType := pt.projectIdentity
	stateType := pt.project
	if req.TypeName == "pipesolar_project_stage" {
		idType, stateType = pt.stageID, pt.stage
	}
	return decoded(t, stateType, read.NewState), decoded(t, idType, read.NewIdentity.IdentityData), read.Diagnostics
}

func TestProtocol_importProject(t *testing.T) {
	t.Parallel()
	m, srv, pt, id := servedProject(t)
	byIdentity := &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", Identity: &tfprotov6.ResourceIdentityData{
		IdentityData: dynamic(t, pt.projectIdentity, tftypes.NewValue(pt.projectIdentity, map[string]tftypes.Value{"id": tfString(id)})),
	}}
	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"by id":       {TypeName: "pipesolar_project", ID: " " + id + " "},
		"by identity": byIdentity,
	} {
		t.Run(name, func(t *testing.T) {
			m.ResetCounts()
			state, identity, diags := importAndRead(t, srv, pt, req)
			failOnErrors(t, diags)
			if got := str(t, identity["id"]); got != id {
				t.Errorf("identity id = %q, want %q", got, id)
			}
			if str(t, state["id"]) != id || str(t, state["first_name"]) != "Ada" || str(t, state["customer_city"]) == "" {
				t.Errorf("state after import: id %s, first_name %s, customer_city %s", state["id"], state["first_name"], state["customer_city"])
			}
			if !state["org_id"].IsNull() {
				t.Errorf("org_id = %s, want null (fetch_project does not return it)", state["org_id"])
			}
			if counts := m.Counts(); len(counts) != 1 || counts[mockapi.EndpointFetchProject] != 1 {
				t.Errorf("API calls %v, want one fetch_project and no write", counts)
			}
		})
	}
}

func TestProtocol_importProjectStage(t *testing.T) {
	t.Parallel()
	_, srv, pt, id := servedProject(t)
	state, identity, diags := importAndRead(t, srv, pt, &tfprotov6.ImportResourceStateRequest{
		TypeName: "pipesolar_project_stage",
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, pt.stageID,
			tftypes.NewValue(pt.stageID, map[string]tftypes.Value{"project_id": tfString(id)}))},
	})
	failOnErrors(t, diags)
	if str(t, identity["project_id"]) != id || str(t, state["project_id"]) != id || str(t, state["id"]) != id ||
		str(t, state["stage"]) != "Proposal" {
		t.Errorf("identity %v, state %v", identity, state)
	}
}

// TestProtocol_readGoneKeepsIdentity: a project deleted outside Terraform
// leaves the state, and Read still answers an identity (the framework
// refuses a Read without one).
func TestProtocol_readGoneKeepsIdentity(t *testing.T) {
	t.Parallel()
	m, srv, pt, id, imported := importedProject(t)
	ctx := context.Background()
	m.DeleteProject(id)
	read, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "pipesolar_project", CurrentState: imported.State, // no identity stored yet
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, read.Diagnostics)
	if decoded(t, pt.project, read.NewState) != nil {
		t.Error("state kept for a deleted project")
	}
	if read.NewIdentity == nil || str(t, decoded(t, pt.projectIdentity, read.NewIdentity.IdentityData)["id"]) != id {
		t.Errorf("identity after removal = %v", read.NewIdentity)
	}
}

// TestProtocol_planAndApplyCarryIdentity: a create's apply records the
// identity; a plan keeps the prior identity; an update's apply keeps it.
func TestProtocol_planAndApplyCarryIdentity(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	srv := configuredServer(t, m, nil)
	pt := serverTypes(t, srv)
	config := projectArgsValue(pt, "Proposal")
	_, created := planAndApply(t, srv, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "pipesolar_project", PriorState: dynamic(t, pt.project, tftypes.NewValue(pt.project, nil)),
		ProposedNewState: dynamic(t, pt.project, config), Config: dynamic(t, pt.project, config),
	})
	state := decoded(t, pt.project, created.NewState)
	id := str(t, state["id"])
	if id == "" || created.NewIdentity == nil || str(t, decoded(t, pt.projectIdentity, created.NewIdentity.IdentityData)["id"]) != id {
		t.Fatalf("after create: id %q, identity %v", id, created.NewIdentity)
	}

	// A stage change: planned and applied with the identity unchanged.
	proposed := map[string]tftypes.Value{}
	for k, v := range state {
		proposed[k] = v
	}
	proposed["project_stage"] = tfString("Installation")
	update, applied := planAndApply(t, srv, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "pipesolar_project", PriorState: created.NewState, PriorIdentity: created.NewIdentity,
		ProposedNewState: dynamic(t, pt.project, tftypes.NewValue(pt.project, proposed)),
		Config:           dynamic(t, pt.project, projectArgsValue(pt, "Installation")),
	})
	if update.PlannedIdentity == nil || str(t, decoded(t, pt.projectIdentity, update.PlannedIdentity.IdentityData)["id"]) != id {
		t.Errorf("planned identity %v, want id %s", update.PlannedIdentity, id)
	}
	if applied.NewIdentity == nil || str(t, decoded(t, pt.projectIdentity, applied.NewIdentity.IdentityData)["id"]) != id {
		t.Errorf("identity after update = %v", applied.NewIdentity)
	}
	if p, _ := m.Project(id); p["projectStatus"] != "Installation" {
		t.Errorf("stage in pipe.solar = %v, want Installation", p["projectStatus"])
	}
}

// TestProtocol_destroyProject: destroying a pipesolar_project calls no API,
// leaves the project in pipe.solar, and says so once.
func TestProtocol_destroyProject(t *testing.T) {
	t.Parallel()
	m, srv, pt, id, imported := importedProject(t)
	null := dynamic(t, pt.project, tftypes.NewValue(pt.project, nil))
	m.ResetCounts()

	plan, applied := planAndApply(t, srv, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "pipesolar_project", PriorState: imported.State, ProposedNewState: null, Config: null,
	})
	var warnings []string
	for _, d := range append(plan.Diagnostics, applied.Diagnostics...) {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			warnings = append(warnings, d.Summary+": "+d.Detail)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "not deleted") || !strings.Contains(warnings[0], id) {
		t.Errorf("warnings %q, want one saying project %s was not deleted", warnings, id)
	}
	if decoded(t, pt.project, applied.NewState) != nil {
		t.Error("state kept after destroy")
	}
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("destroy called the API: %v", counts)
	}
	if _, ok := m.Project(id); !ok {
		t.Error("the project is gone from pipe.solar")
	}
}

// importedProject seeds a project in a new mock and imports it by id
// through the provider's server, as Terraform does before reading it.
func importedProject(t *testing.T) (*mockapi.Server, tfprotov6.ProviderServer, protoTypes, string, *tfprotov6.ImportedResource) {
	t.Helper()
	m, srv, pt, id := servedProject(t)
	imp, err := srv.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", ID: id})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, imp.Diagnostics)
	return m, srv, pt, id, imp.ImportedResources[0]
}

// servedProject starts a mock holding one project, and the provider's
// protocol server configured for it; it returns both, the server's types
// and the project's id.
func servedProject(t *testing.T) (*mockapi.Server, tfprotov6.ProviderServer, protoTypes, string) {
	t.Helper()
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	srv := configuredServer(t, m, nil)
	return m, srv, serverTypes(t, srv), id
}

// projectArgsValue is a pipesolar_project configuration with the arguments
// create_project requires and the given stage.
func projectArgsValue(pt protoTypes, stage string) tftypes.Value {
	return dsObject(pt.project, map[string]tftypes.Value{
		"address": tfString("1 Solar St"), "first_name": tfString("Ada"), "last_name": tfString("Lovelace"),
		"email": tfString("ada@example.com"), "phone_number": tfString("555-0100"), "org_id": tfString("org-1"),
		"sales_rep": tfString("rep@example.com"), "setter": tfString("setter@example.com"), "project_stage": tfString(stage),
	})
}

// TestProtocol_importBlankIsAnError: an import by a blank id, or by an
// identity whose id is blank, is an error that says how to import, and
// calls no API.
func TestProtocol_importBlankIsAnError(t *testing.T) {
	t.Parallel()
	m, srv, pt, _ := servedProject(t)
	identity := func(typ tftypes.Object, attr, id string) *tfprotov6.ResourceIdentityData {
		return &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, typ, tftypes.NewValue(typ, map[string]tftypes.Value{attr: tfString(id)}))}
	}
	for name, req := range map[string]*tfprotov6.ImportResourceStateRequest{
		"project, blank id":             {TypeName: "pipesolar_project", ID: "  "},
		"project, blank identity":       {TypeName: "pipesolar_project", Identity: identity(pt.projectIdentity, "id", " ")},
		"project, empty identity":       {TypeName: "pipesolar_project", Identity: identity(pt.projectIdentity, "id", "")},
		"project stage, blank id":       {TypeName: "pipesolar_project_stage", ID: " "},
		"project stage, blank identity": {TypeName: "pipesolar_project_stage", Identity: identity(pt.stageID, "project_id", "")},
	} {
		t.Run(name, func(t *testing.T) {
			m.ResetCounts()
			resp, err := srv.ImportResourceState(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if !hasError(resp.Diagnostics) || !strings.Contains(diagnosticsText(resp.Diagnostics), "D4YR1VSK7K") {
				t.Errorf("diagnostics %s, want an error showing how to import", diagnosticsText(resp.Diagnostics))
			}
			if counts := m.Counts(); len(counts) != 0 {
				t.Errorf("API calls %v, want none", counts)
			}
		})
	}
}
