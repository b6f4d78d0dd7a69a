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

// protoResource is a configured server and the types of a resource with
// identity and a list resource (pipesolar_project, pipesolar_lead).
type protoResource struct {
	srv                   tfprotov6.ProviderServerWithListResource //nolint:staticcheck // the only way to list in terraform-plugin-go v0.31
	typeName              string
	schemas               *tfprotov6.GetProviderSchemaResponse
	state, identity, list tftypes.Object
}

func newProtoResource(t *testing.T, m *mockapi.Server, typeName string) protoResource {
	t.Helper()
	server, schemas := configuredServer(t, m)
	srv, ok := server.(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // as above
	if !ok {
		t.Fatal("the provider's server does not serve list resources")
	}
	listSchema := schemas.ListResourceSchemas[typeName]
	if listSchema == nil {
		t.Fatalf("the provider has no list resource %s", typeName)
	}
	return protoResource{
		srv:      srv,
		typeName: typeName,
		schemas:  schemas,
		state:    objectType(t, schemas.ResourceSchemas[typeName].ValueType()),
		identity: identityType(t, srv, typeName),
		list:     objectType(t, listSchema.ValueType()),
	}
}

// protoProject is a configured server and the pipesolar_project types.
type protoProject struct{ protoResource }

func newProtoProject(t *testing.T, m *mockapi.Server) protoProject {
	t.Helper()
	return protoProject{newProtoResource(t, m, "pipesolar_project")}
}

// importResource imports as req says (an id or an identity); it fails the
// test on an error and returns the one resource imported.
func (p protoResource) importResource(t *testing.T, req tfprotov6.ImportResourceStateRequest) *tfprotov6.ImportedResource {
	t.Helper()
	req.TypeName = p.typeName
	imported, err := p.srv.ImportResourceState(context.Background(), &req)
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("imported %d resources, want 1", len(imported.ImportedResources))
	}
	return imported.ImportedResources[0]
}

// importByIdentity imports { id } and reads the result, as Terraform does
// for an import block with an identity; it returns the state and identity
// the read stored.
func (p protoResource) importByIdentity(t *testing.T, id string) (state, identity tftypes.Value) {
	t.Helper()
	ir := p.importResource(t, tfprotov6.ImportResourceStateRequest{
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, p.identity,
			tftypes.NewValue(p.identity, map[string]tftypes.Value{"id": tfString(id)}))},
	})
	attrs := decoded(t, p.state, ir.State)
	if got := str(t, attrs["id"]); got != id {
		t.Fatalf("import stored id %q, want %q", got, id)
	}
	return p.read(t, ir.State, ir.Identity)
}

// importAndRead imports id as an import block with that id does, and
// reads it; it returns the state the read stored.
func (p protoResource) importAndRead(t *testing.T, id string) tftypes.Value {
	t.Helper()
	ir := p.importResource(t, tfprotov6.ImportResourceStateRequest{ID: id})
	state, _ := p.read(t, ir.State, ir.Identity)
	return state
}

// read is ReadResource of state with identity; it fails the test on an
// error and returns the new state and identity.
func (p protoResource) read(t *testing.T, state *tfprotov6.DynamicValue, identity *tfprotov6.ResourceIdentityData) (tftypes.Value, tftypes.Value) {
	t.Helper()
	read, err := p.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: p.typeName, CurrentState: state, CurrentIdentity: identity,
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
// results; an error diagnostic on any result fails the test. each, when
// set, is called after each result.
func (p protoResource) listResults(t *testing.T, set map[string]tftypes.Value, include bool, limit int64,
	each func(i int)) []tfprotov6.ListResourceResult {
	t.Helper()
	stream, err := p.srv.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName:        p.typeName,
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

// listErrors runs the list resource with no filter and a limit of 10, and
// returns its error diagnostics as "summary: detail".
func (p protoResource) listErrors(t *testing.T) []string {
	t.Helper()
	stream, err := p.srv.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: p.typeName, Config: dynamic(t, p.list, objectOf(p.list, nil)), Limit: 10,
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
	return errs
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
	checkListPagesAndLimit(t, m, newProtoProject(t, m).protoResource, mockapi.EndpointListProjects, false, nil)
}

// checkListPagesAndLimit checks p's list resource over the mock's 230
// records, listed by endpoint at 100 a page: with no limit (and include),
// the first result is sent after one page and all three pages are read,
// the mock's other endpoints called as counts says; with a limit of 120,
// reading stops after the second page and no record is listed twice.
func checkListPagesAndLimit(t *testing.T, m *mockapi.Server, p protoResource, endpoint string, include bool,
	counts map[string]int) {
	t.Helper()
	m.ResetCounts()
	pagesWhenFirst := -1
	results := p.listResults(t, nil, include, 0, func(i int) {
		if i == 1 {
			pagesWhenFirst = m.Count(endpoint)
		}
	})
	if len(results) != 230 {
		t.Errorf("%d results, want 230", len(results))
	}
	if pagesWhenFirst != 1 {
		t.Errorf("%d pages were read before the first result was sent, want 1", pagesWhenFirst)
	}
	if n := m.Count(endpoint); n != 3 {
		t.Errorf("%d pages read, want 3 (100 a page)", n)
	}
	if err := countsError(m, counts); err != nil {
		t.Error(err)
	}

	m.ResetCounts()
	results = p.listResults(t, nil, false, 120, nil)
	if len(results) != 120 {
		t.Errorf("limit 120: %d results", len(results))
	}
	if n := m.Count(endpoint); n != 2 {
		t.Errorf("limit 120: %d pages read, want 2", n)
	}
	seen := map[string]bool{}
	for _, r := range results {
		id := identityID(t, decodedValue(t, p.identity, r.Identity.IdentityData))
		if seen[id] {
			t.Errorf("%s listed twice", id)
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
	errs := p.listErrors(t)
	if len(errs) != 1 || !strings.Contains(errs[0], "Could not list pipe.solar projects") || !strings.Contains(errs[0], "403") {
		t.Errorf("errors %q, want one naming the listing and HTTP 403", errs)
	}
}
