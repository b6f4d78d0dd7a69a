package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// Identity and the list resource through the framework's protocol server,
// as Terraform 1.12+ (identity) and 1.14+ (terraform query) call them: CI's
// Terraform is older, so these run without Terraform.

// protoProject is a configured server and the pipesolar_project types.
type protoProject struct {
	srv                   tfprotov6.ProviderServerWithListResource
	state, identity, list tftypes.Object
}

func newProtoProject(t *testing.T, m *mockapi.Server) protoProject {
	t.Helper()
	server, schemas := configuredServer(t, m)
	srv, ok := server.(tfprotov6.ProviderServerWithListResource)
	if !ok {
		t.Fatal("the provider's server does not serve list resources")
	}
	listSchema := schemas.ListResourceSchemas["pipesolar_project"]
	if listSchema == nil {
		t.Fatal("the provider has no list resource pipesolar_project")
	}
	return protoProject{
		srv:      srv,
		state:    objectType(t, schemas.ResourceSchemas["pipesolar_project"].ValueType()),
		identity: identityType(t, srv, "pipesolar_project"),
		list:     objectType(t, listSchema.ValueType()),
	}
}

// importByIdentity imports { id } and reads the result, as Terraform does
// for an import block with an identity; it returns the state and identity
// the read stored.
func (p protoProject) importByIdentity(t *testing.T, id string) (state, identity tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	imported, err := p.srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: "pipesolar_project",
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, p.identity,
			tftypes.NewValue(p.identity, map[string]tftypes.Value{"id": tfString(id)}))},
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("imported %d resources, want 1", len(imported.ImportedResources))
	}
	ir := imported.ImportedResources[0]
	attrs := decoded(t, p.state, ir.State)
	if got := str(t, attrs["id"]); got != id {
		t.Fatalf("import stored id %q, want %q", got, id)
	}
	return p.read(t, ir.State, ir.Identity)
}

// read is ReadResource of state with identity; it fails the test on an
// error and returns the new state and identity.
func (p protoProject) read(t *testing.T, state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData) (tftypes.Value, tftypes.Value) {
	t.Helper()
	read, err := p.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: "pipesolar_project", CurrentState: state, CurrentIdentity: identity,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, read.Diagnostics)
	if read.NewIdentity == nil {
		t.Fatal("the read returned no identity")
	}
	return decodedValue(t, p.state, read.NewState), decodedValue(t, p.identity, read.NewIdentity.IdentityData)
}

func identityID(t *testing.T, identity tftypes.Value) string {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := identity.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return str(t, attrs["id"])
}

// A 1.x identity held the old reference; importing or reading by it gives
// Pipe's id, and the framework accepts the change (MutableIdentity).
func TestProtocol_identityByReference(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	p := newProtoProject(t, m)
	m.ResetCounts()
	state, identity := p.importByIdentity(t, "D4YR1VSK7K")
	if got := identityID(t, identity); got != id {
		t.Errorf("identity after the read is %q, want Pipe's id %q", got, id)
	}
	attrs := map[string]tftypes.Value{}
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if got := str(t, attrs["id"]); got != id {
		t.Errorf("state id %q, want %q", got, id)
	}
	if got := str(t, attrs["project_id"]); got != "D4YR1VSK7K" {
		t.Errorf("project_id %q, want the id imported", got)
	}
	if !attrs["stage_id"].IsNull() || str(t, attrs["stage"]) != "Proposal" {
		t.Errorf("after import the stage is stored by name only: stage %v, stage_id %v", attrs["stage"], attrs["stage_id"])
	}
	if err := countsError(m, map[string]int{getProject: 1, moveStage: 0, patchProject: 0}); err != nil {
		t.Error(err)
	}
}

// A read of a project gone from pipe.solar removes it and still returns an
// identity (the framework refuses a read without one), also for a state
// that holds none yet (written by Terraform before 1.12, or by 1.x).
func TestProtocol_identityWhenGone(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	id := seedProject(t, m)
	p := newProtoProject(t, m)
	state, _ := p.importByIdentity(t, id)
	m.DeleteProject(id)
	newState, newIdentity := p.read(t, dynamic(t, p.state, state), nil)
	if !newState.IsNull() {
		t.Errorf("the project is gone but its state was kept: %v", newState)
	}
	if got := identityID(t, newIdentity); got != id {
		t.Errorf("identity %q, want %q", got, id)
	}
}

// listResults runs the list resource with the filter set and returns its
// results; an error diagnostic on any result fails the test.
func (p protoProject) listResults(t *testing.T, set map[string]tftypes.Value, include bool, limit int64,
	each func(i int)) []tfprotov6.ListResourceResult {
	t.Helper()
	stream, err := p.srv.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName:        "pipesolar_project",
		Config:          dynamic(t, p.list, objectOf(p.list, set)),
		IncludeResource: include,
		Limit:           limit,
	})
	if err != nil {
		t.Fatal(err)
	}
	var results []tfprotov6.ListResourceResult
	for r := range stream.Results {
		failOnErrors(t, r.Diagnostics)
		results = append(results, r)
		if each != nil {
			each(len(results))
		}
	}
	return results
}

// Each result carries the identity, a display name naming the customer,
// and with include_resource exactly the state an import's read stores.
func TestProtocol_listResource(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ids := map[string]bool{seedTestProject(t, m, testProjectSeed()): true, seedProject(t, m): true}
	hi := testProjectSeed()
	hi.Reference, hi.ProductLine, hi.Stage, hi.FirstName = "", "hi", "Sold", "Grace"
	hiID := seedTestProject(t, m, hi)
	p := newProtoProject(t, m)

	m.ResetCounts()
	results := p.listResults(t, map[string]tftypes.Value{"product_line": tfString("solar")}, true, 100, nil)
	if err := countsError(m, map[string]int{mockapi.EndpointListProjects: 1, getProject: 2, moveStage: 0, patchProject: 0}); err != nil {
		t.Error(err)
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want the 2 solar projects", len(results))
	}
	for _, r := range results {
		id := identityID(t, decodedValue(t, p.identity, r.Identity.IdentityData))
		if !ids[id] {
			t.Errorf("result for %q, which is not a solar project", id)
		}
		if !strings.Contains(r.DisplayName, "Ada Lovelace") {
			t.Errorf("display name %q does not name the customer", r.DisplayName)
		}
		listed := decodedValue(t, p.state, r.Resource)
		// What an import by this identity stores.
		imported, _ := p.importByIdentity(t, id)
		if diff, err := listed.Diff(imported); err != nil || len(diff) != 0 {
			t.Errorf("result for %s differs from the imported state: %v %v", id, diff, err)
		}
	}

	// Without include_resource: the listing alone.
	m.ResetCounts()
	results = p.listResults(t, map[string]tftypes.Value{"product_line": tfString("hi")}, false, 100, nil)
	if len(results) != 1 || identityID(t, decodedValue(t, p.identity, results[0].Identity.IdentityData)) != hiID {
		t.Fatalf("hi listing: %d results, want project %s", len(results), hiID)
	}
	if results[0].Resource != nil && !decodedValue(t, p.state, results[0].Resource).IsNull() {
		t.Error("a result carries a resource without include_resource")
	}
	if err := countsError(m, map[string]int{mockapi.EndpointListProjects: 1, getProject: 0}); err != nil {
		t.Error(err)
	}
}

// Results are streamed page by page, and reading stops at the limit.
func TestProtocol_listResourcePagesAndLimit(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	m.SeedRandomProjects(230)
	p := newProtoProject(t, m)

	m.ResetCounts()
	pagesWhenFirst := -1
	results := p.listResults(t, nil, false, 0, func(i int) {
		if i == 1 {
			pagesWhenFirst = m.Count(mockapi.EndpointListProjects)
		}
	})
	if len(results) != 230 {
		t.Errorf("%d results, want 230", len(results))
	}
	if pagesWhenFirst != 1 {
		t.Errorf("%d pages were read before the first result was sent, want 1", pagesWhenFirst)
	}
	if n := m.Count(mockapi.EndpointListProjects); n != 3 {
		t.Errorf("%d pages read, want 3 (100 a page)", n)
	}

	m.ResetCounts()
	results = p.listResults(t, nil, false, 120, nil)
	if len(results) != 120 {
		t.Errorf("limit 120: %d results", len(results))
	}
	if n := m.Count(mockapi.EndpointListProjects); n != 2 {
		t.Errorf("limit 120: %d pages read, want 2", n)
	}
	seen := map[string]bool{}
	for _, r := range results {
		id := identityID(t, decodedValue(t, p.identity, r.Identity.IdentityData))
		if seen[id] {
			t.Errorf("project %s listed twice", id)
		}
		seen[id] = true
	}
}

// A failed listing is an error diagnostic, never an empty success.
func TestProtocol_listResourceError(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedProject(t, m)
	p := newProtoProject(t, m)
	m.SetFaults(mockapi.Faults{Status: 403, Endpoints: []string{mockapi.EndpointListProjects}})
	stream, err := p.srv.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: "pipesolar_project", Config: dynamic(t, p.list, objectOf(p.list, nil)), Limit: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for r := range stream.Results {
		for _, d := range r.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				errs = append(errs, d.Summary+": "+d.Detail)
			}
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "Could not list pipe.solar projects") || !strings.Contains(errs[0], "403") {
		t.Errorf("errors %q, want one naming the listing and HTTP 403", errs)
	}
}
