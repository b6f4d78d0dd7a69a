package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// The list resource pipesolar_lead, `terraform query -generate-config-out`
// over leads and the action pipesolar_lead_note through the framework's
// protocol server, as Terraform 1.14 calls them: CI's Terraform is older,
// so these run without Terraform.

// protoLead is a configured server, the pipesolar_lead types and the
// action's.
type protoLead struct {
	protoResource
	action tftypes.Object
}

func newProtoLead(t *testing.T, m *mockapi.Server) protoLead {
	t.Helper()
	p := newProtoResource(t, m, "pipesolar_lead")
	actionSchema := p.schemas.ActionSchemas["pipesolar_lead_note"]
	if actionSchema == nil {
		t.Fatal("the provider has no action pipesolar_lead_note")
	}
	return protoLead{protoResource: p, action: objectType(t, actionSchema.Schema.ValueType())}
}

// seedLeads seeds n leads made in the app and returns their ids.
func seedLeads(t *testing.T, m *mockapi.Server, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = seedTestLead(t, m, mockapi.LeadSeed{})
	}
	return ids
}

// Each result carries the identity, a display name naming the customer,
// and with include_resource exactly the state an import's read stores; the
// listing's rows are full leads, so no lead is read on its own.
func TestProtocol_leadListResource(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	grace := seedTestLead(t, m, testLeadSeed())
	seedTestLead(t, m, mockapi.LeadSeed{ProductLine: "hi", ExternalID: "crm-7", FirstName: "Bea"})
	p := newProtoLead(t, m)

	m.ResetCounts()
	results := p.listResults(t, map[string]tftypes.Value{"product_line": tfString("solar")}, true, 100, nil)
	if err := countsError(m, map[string]int{mockapi.EndpointListLeads: 1, getLead: 0}); err != nil {
		t.Error(err)
	}
	if len(results) != 1 {
		t.Fatalf("%d results, want the 1 solar lead", len(results))
	}
	r := results[0]
	if id := identityID(t, decodedValue(t, p.identity, r.Identity.IdentityData)); id != grace {
		t.Errorf("result for %q, want %q", id, grace)
	}
	if r.DisplayName != "Grace Hopper, Sunville CA" {
		t.Errorf("display name %q, want the customer and where", r.DisplayName)
	}
	listed := decodedValue(t, p.state, r.Resource)
	if imported := p.importAndRead(t, grace); !listed.Equal(imported) {
		diffs, _ := listed.Diff(imported)
		t.Errorf("the result differs from the imported state at %v", diffPaths(diffs))
	}

	m.ResetCounts()
	results = p.listResults(t, map[string]tftypes.Value{"product_line": tfString("hi")}, false, 100, nil)
	if len(results) != 1 || results[0].DisplayName == "" {
		t.Fatalf("hi listing: %d results, want 1 with a display name", len(results))
	}
	if results[0].Resource != nil && !decodedValue(t, p.state, results[0].Resource).IsNull() {
		t.Error("a result carries a resource without include_resource")
	}
}

// Results are streamed page by page, and reading stops at the limit; the
// listing's rows are full leads, so include_resource reads no lead on its
// own.
func TestProtocol_leadListResourcePagesAndLimit(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedLeads(t, m, 230)
	checkListPagesAndLimit(t, m, newProtoLead(t, m).protoResource, mockapi.EndpointListLeads, true, map[string]int{getLead: 0})
}

// A failed listing is an error diagnostic, never an empty success.
func TestProtocol_leadListResourceError(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedLeads(t, m, 1)
	p := newProtoLead(t, m)
	m.SetFaults(mockapi.Faults{Status: 401, Endpoints: []string{mockapi.EndpointListLeads}})
	errs := p.listErrors(t)
	if len(errs) != 1 || !strings.Contains(errs[0], "Could not list pipe.solar leads") || !strings.Contains(errs[0], "401") {
		t.Errorf("errors %q, want one naming the listing and HTTP 401", errs)
	}
}

// `terraform query -generate-config-out` over leads: each result's state
// goes through the framework's GenerateResourceConfig, and planning that
// configuration against the result's state changes nothing ("N to import,
// 0 to add, 0 to change, 0 to destroy") and calls no API.
func TestProtocol_leadQueryGenerateConfigPlansNoChange(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedTestLead(t, m, testLeadSeed())
	withExternalID := seedTestLead(t, m, mockapi.LeadSeed{ExternalID: "crm-9", Line2: "Unit 4", Notes: "Call after 5",
		SetterEmail: "setter@example.com", Fields: map[string]any{
			"coBorrower": map[string]any{"firstName": "Alan", "lastName": "Turing", "email": nil, "phone": "555-010-0009"}}})
	seedLeads(t, m, 4)
	p := newProtoLead(t, m)

	results := p.listResults(t, nil, true, 100, nil)
	if len(results) != 6 {
		t.Fatalf("%d results, want 6", len(results))
	}
	m.ResetCounts()
	for _, r := range results {
		generated, config := p.generateConfig(t, r.Resource)
		for _, name := range []string{"first_name", "last_name", "address", "email"} {
			if config[name].IsNull() {
				t.Errorf("%s: generated configuration lacks %s", r.DisplayName, name)
			}
		}
		id := identityID(t, decodedValue(t, p.identity, r.Identity.IdentityData))
		if (id == withExternalID) == config["external_id"].IsNull() {
			t.Errorf("%s: generated external_id %v, want it exactly when the lead has one", r.DisplayName, config["external_id"])
		}

		resp := p.plan(t, r.Resource, generated)
		if len(resp.RequiresReplace) != 0 {
			t.Errorf("%s: the plan replaces it: %v", r.DisplayName, resp.RequiresReplace)
		}
		prior, planned := decodedValue(t, p.state, r.Resource), decodedValue(t, p.state, resp.PlannedState)
		if diffs, err := prior.Diff(planned); err != nil || len(diffs) != 0 {
			t.Errorf("%s: the plan changes %v (%v)", r.DisplayName, diffPaths(diffs), err)
		}
	}
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("planning generated configuration called the API: %v", counts)
	}
}

// invoke runs the action with lead_id and note; it returns the progress
// messages and the completed event's diagnostics.
func (p protoLead) invoke(t *testing.T, leadID, note string) (progress []string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	//nolint:staticcheck // terraform-plugin-go v0.31 serves actions only through this interface (it moves into ProviderServer later)
	srv, ok := p.srv.(tfprotov6.ProviderServerWithActions)
	if !ok {
		t.Fatal("the provider's server does not serve actions")
	}
	stream, err := srv.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{
		ActionType: "pipesolar_lead_note",
		Config: dynamic(t, p.action, tftypes.NewValue(p.action, map[string]tftypes.Value{
			"lead_id": tfString(leadID), "note": tfString(note)})),
	})
	if err != nil {
		t.Fatal(err)
	}
	for e := range stream.Events {
		switch ev := e.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, ev.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = append(diags, ev.Diagnostics...)
		}
	}
	return progress, diags
}

// The action sets the lead's notes with one PATCH, and pipe.solar posts
// them to the lead's activity.
func TestProtocol_leadNoteAction(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	id := seedTestLead(t, m, testLeadSeed())
	p := newProtoLead(t, m)
	m.ResetCounts()

	progress, diags := p.invoke(t, "L4YR1VSK7K", "Site survey booked for Tuesday")
	failOnErrors(t, diags)
	if err := countsError(m, map[string]int{patchLead: 1, getLead: 0}); err != nil {
		t.Error(err)
	}
	if len(progress) != 1 || !strings.Contains(progress[0], id) {
		t.Errorf("progress %q, want one message naming the lead", progress)
	}
	l, _ := m.Lead(id)
	if l["notes"] != "Site survey booked for Tuesday" {
		t.Errorf("notes %v, want the note", l["notes"])
	}
	acts := m.Activities(id)
	if len(acts) == 0 || acts[0]["body"] != "Site survey booked for Tuesday" || acts[0]["type"] != "note" {
		t.Errorf("newest activity %v, want the note", acts)
	}
}

// An unknown lead fails the action with the 404 explained, and writes
// nothing.
func TestProtocol_leadNoteActionUnknownLead(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newProtoLead(t, m)
	_, diags := p.invoke(t, "nope", "hello")
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
		!strings.Contains(diags[0].Detail, `no lead "nope"`) {
		t.Errorf("diagnostics %v, want one error naming the lead", diags)
	}
}

// End to end on Terraform 1.14 and later (CI's Terraform is older: the
// protocol tests above cover the same).
func TestAccLead_query(t *testing.T) {
	m := newTestMock(t)
	seedLeads(t, m, 3)
	testAccQuerySolar(t, m, "pipesolar_lead", 3)
}

// The action from a lead's action_trigger, end to end (Terraform 1.14 and
// later).
func TestAccLead_noteActionTrigger(t *testing.T) {
	m := newTestMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{{
			Config: pipeProvider(m) + leadBlock("CA", `lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.pipesolar_lead_note.welcome]
    }
  }`) + `
action "pipesolar_lead_note" "welcome" {
  config {
    lead_id = pipesolar_lead.l.id
    note    = "Welcome call scheduled"
  }
}
`,
			Check: mockCheck(func() error {
				l, err := onlyLead(m)
				if err != nil {
					return err
				}
				if l["notes"] != "Welcome call scheduled" {
					return fmt.Errorf("notes %v, want the action's note", l["notes"])
				}
				return nil
			}),
		}},
	})
}

// Every attribute of the lead, catalogue and company types, nested ones
// included, has a description: the docs are generated from them.
func TestProtocol_leadSchemasDescribed(t *testing.T) {
	t.Parallel()
	schemas := providerSchemas(t, testProtocolServer(t))
	var walk func(where string, attrs []*tfprotov6.SchemaAttribute)
	walk = func(where string, attrs []*tfprotov6.SchemaAttribute) {
		for _, a := range attrs {
			if strings.TrimSpace(a.Description) == "" {
				t.Errorf("%s.%s has no description", where, a.Name)
			}
			if a.NestedType != nil {
				walk(where+"."+a.Name, a.NestedType.Attributes)
			}
		}
	}
	check := func(kind, name string, s *tfprotov6.Schema) {
		if s == nil {
			t.Errorf("the provider has no %s %s", kind, name)
			return
		}
		if strings.TrimSpace(s.Block.Description) == "" {
			t.Errorf("%s %s has no description", kind, name)
		}
		walk(name, s.Block.Attributes)
	}
	check("resource", "pipesolar_lead", schemas.ResourceSchemas["pipesolar_lead"])
	check("list resource", "pipesolar_lead", schemas.ListResourceSchemas["pipesolar_lead"])
	for _, name := range []string{"lead", "leads", "lead_activities", "stages", "adders", "equipment", "company"} {
		check("data source", "pipesolar_"+name, schemas.DataSourceSchemas["pipesolar_"+name])
	}
	if a := schemas.ActionSchemas["pipesolar_lead_note"]; a == nil {
		t.Error("the provider has no action pipesolar_lead_note")
	} else {
		check("action", "pipesolar_lead_note", a.Schema)
	}
}

// Destroying a lead calls nothing and warns once, at apply: pipe.solar
// keeps the lead.
func TestProtocol_leadDestroyWarnsOnce(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	id := seedTestLead(t, m, testLeadSeed())
	p := newProtoLead(t, m)
	state := dynamic(t, p.state, p.importAndRead(t, id))
	null := dynamic(t, p.state, tftypes.NewValue(p.state, nil))
	m.ResetCounts()
	ctx := context.Background()
	plan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: "pipesolar_lead", PriorState: state, ProposedNewState: null, Config: null,
	})
	if err != nil {
		t.Fatal(err)
	}
	applied, err := p.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: "pipesolar_lead", PriorState: state, PlannedState: null, Config: null,
	})
	if err != nil {
		t.Fatal(err)
	}
	diags := append(plan.Diagnostics, applied.Diagnostics...)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || !strings.Contains(diags[0].Detail, id) {
		t.Errorf("diagnostics %v, want one warning naming the lead", diags)
	}
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("destroy called the API: %v", counts)
	}
	if _, ok := m.Lead(id); !ok {
		t.Error("the lead is gone from pipe.solar")
	}
}

// An import by identity with the old reference stores Pipe's id, in state
// and identity (the identity is mutable), with one GET.
func TestProtocol_leadIdentityByReference(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	id := seedTestLead(t, m, testLeadSeed())
	p := newProtoLead(t, m)
	m.ResetCounts()
	state, identity := p.importByIdentity(t, "L4YR1VSK7K")
	if got := identityID(t, identity); got != id {
		t.Errorf("identity %q, want Pipe's id %q", got, id)
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if str(t, attrs["id"]) != id || str(t, attrs["reference"]) != "L4YR1VSK7K" {
		t.Errorf("state id %v reference %v, want %s and the reference", attrs["id"], attrs["reference"], id)
	}
	if err := countsError(m, map[string]int{getLead: 1}); err != nil {
		t.Error(err)
	}
}

// Import by identity end to end (Terraform 1.12 and later).
func TestAccLead_importByIdentity(t *testing.T) {
	m := newTestMock(t)
	cfg := leadCfg(m, `email = "grace@example.com"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config:          cfg,
				ResourceName:    leadAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}
