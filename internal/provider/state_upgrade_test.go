package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// The state upgrade from provider 1.x, tested with the state 1.x really
// wrote: testdata/upgrade-1x/state-1x.json (its terraform.tfstate), from applying main.tf there
// with the 1.x provider (commit 157d297) against the 1.x mock, seeded with
// seed.json there.

// upgrade1xDir holds the 1.x configuration and state.
const upgrade1xDir = "testdata/upgrade-1x"

// instance1x is one resource instance of the 1.x state.
type instance1x struct {
	typeName   string
	version    int64
	attributes json.RawMessage
}

// state1x reads the 1.x state: its instances by address.
func state1x(t testing.TB) map[string]instance1x {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(upgrade1xDir, "state-1x.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				SchemaVersion int64           `json:"schema_version"`
				Attributes    json.RawMessage `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	out := map[string]instance1x{}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			out[r.Type+"."+r.Name] = instance1x{typeName: r.Type, version: in.SchemaVersion, attributes: in.Attributes}
		}
	}
	return out
}

// upgraded asks srv to upgrade raw, a state of typeName at version, as
// Terraform does on the first plan with a newer provider.
func upgraded(t testing.TB, srv tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse, typeName string,
	version int64, raw json.RawMessage) (map[string]tftypes.Value, []*tfprotov6.Diagnostic) {
	t.Helper()
	resp, err := srv.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: typeName, Version: version, RawState: &tfprotov6.RawState{JSON: raw},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, resp.Diagnostics
		}
	}
	return decoded(t, objectType(t, schemas.ResourceSchemas[typeName].ValueType()), resp.UpgradedState), resp.Diagnostics
}

// checkOnly fails unless the attributes in want have those string values
// and every other attribute is null.
func checkOnly(t *testing.T, got map[string]tftypes.Value, want map[string]string) {
	t.Helper()
	for name, v := range got {
		w, ok := want[name]
		switch {
		case ok && str(t, v) != w:
			t.Errorf("%s = %q, want %q", name, str(t, v), w)
		case !ok && !v.IsNull():
			t.Errorf("%s = %v, want null", name, v)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("the upgraded state has no %s", name)
		}
	}
}

func TestUpgradeState1x_schemaVersions(t *testing.T) {
	t.Parallel()
	schemas := providerSchemas(t, testProtocolServer(t))
	for _, typeName := range []string{"pipesolar_project", "pipesolar_project_stage", "pipesolar_project_file", "pipesolar_activity"} {
		if v := schemas.ResourceSchemas[typeName].Version; v != 1 {
			t.Errorf("%s has schema version %d, want 1 (1.x wrote version 0)", typeName, v)
		}
	}
	for addr, in := range state1x(t) {
		if in.version != 0 {
			t.Errorf("%s: 1.x state has schema version %d, want 0", addr, in.version)
		}
	}
}

func TestUpgradeState1x_project(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	in := state1x(t)["pipesolar_project.lovelace"]
	got, diags := upgraded(t, srv, schemas, in.typeName, in.version, in.attributes)
	failOnErrors(t, diags)
	// The old UID names the project in v1; the stage is kept; the rest is
	// read again on refresh.
	checkOnly(t, got, map[string]string{"id": "RST2Z9YMSI", "project_id": "RST2Z9YMSI", "stage": "Proposal"})
}

func TestUpgradeState1x_projectWithoutID(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	in := state1x(t)["pipesolar_project.lovelace"]
	var attrs map[string]any
	if err := json.Unmarshal(in.attributes, &attrs); err != nil {
		t.Fatal(err)
	}
	attrs["id"] = nil
	raw, _ := json.Marshal(attrs)
	_, diags := upgraded(t, srv, schemas, in.typeName, 0, raw)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
		!strings.Contains(diags[0].Detail, "adopt the project again") {
		t.Fatalf("want one error that says how to adopt the project again, got %+v", diags)
	}
}

func TestUpgradeState1x_projectStage(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	in := state1x(t)["pipesolar_project_stage.hopper"]
	got, diags := upgraded(t, srv, schemas, in.typeName, in.version, in.attributes)
	failOnErrors(t, diags)
	// org_id is gone; the name stays the managed value.
	checkOnly(t, got, map[string]string{"id": "D4YR1VSK7K", "project_id": "D4YR1VSK7K", "stage": "NTP"})
}

func TestUpgradeState1x_activity(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	in := state1x(t)["pipesolar_activity.permit_submitted"]
	got, diags := upgraded(t, srv, schemas, in.typeName, in.version, in.attributes)
	failOnErrors(t, diags)
	checkOnly(t, got, map[string]string{
		"id": "c02534a98a5e716fabadaae13b51af2f", "project_id": "D4YR1VSK7K", "installer_id": "inst-sunville",
		"notes": "Permit application submitted to the City of Sunville.",
	})
}

// fileEntries is the files attribute as (url, name, id) triples.
func fileEntries(t *testing.T, v tftypes.Value) [][3]string {
	t.Helper()
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		t.Fatal(err)
	}
	out := make([][3]string, len(elems))
	for i, e := range elems {
		var attrs map[string]tftypes.Value
		if err := e.As(&attrs); err != nil {
			t.Fatal(err)
		}
		for j, name := range []string{"url", "name", "id"} {
			if name != "url" && !attrs[name].IsNull() {
				t.Errorf("files[%d].%s = %v, want null (1.x recorded none)", i, name, attrs[name])
			}
			out[i][j] = str(t, attrs[name])
		}
	}
	return out
}

func TestUpgradeState1x_projectFile(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	state := state1x(t)
	cases := map[string]struct{ folder, projectID, id string }{
		"pipesolar_project_file.utility_bill": {"utilityBill", "RST2Z9YMSI", "2dc8ed56bcc9e2d83f09c3b18661d60c"},
		"pipesolar_project_file.id":           {"identification", "RST2Z9YMSI", "a44ca02a7fec0950a06a6b07e2e02814"},
		"pipesolar_project_file.photos":       {"installationPhoto", "D4YR1VSK7K", "d2111cd465ee5c63f2727b8f4c2c5cdc"},
		"pipesolar_project_file.contract":     {"contract", "D4YR1VSK7K", "7b1f660963c4ea1aa03e9b9083e5cada"},
		"pipesolar_project_file.permits":      {"permit", "D4YR1VSK7K", "6bc5aa615b8f8196c0ad26573201d5c0"},
	}
	for addr, want := range cases {
		t.Run(addr, func(t *testing.T) {
			t.Parallel()
			in, ok := state[addr]
			if !ok {
				t.Fatalf("%s is not in the 1.x state", addr)
			}
			var old struct {
				FileURLs []string `json:"file_urls"`
			}
			if err := json.Unmarshal(in.attributes, &old); err != nil {
				t.Fatal(err)
			}
			got, diags := upgraded(t, srv, schemas, in.typeName, in.version, in.attributes)
			failOnErrors(t, diags)
			if len(diags) != 0 {
				t.Errorf("want no diagnostic, got %+v", diags)
			}
			for name, w := range map[string]string{"id": want.id, "project_id": want.projectID, "folder": want.folder} {
				if g := str(t, got[name]); g != w {
					t.Errorf("%s = %q, want %q", name, g, w)
				}
			}
			entries := fileEntries(t, got["files"])
			if len(entries) != len(old.FileURLs) {
				t.Fatalf("files has %d entries, want %d (file_urls %v)", len(entries), len(old.FileURLs), old.FileURLs)
			}
			for i, u := range old.FileURLs {
				if entries[i][0] != u {
					t.Errorf("files[%d].url = %q, want %q", i, entries[i][0], u)
				}
			}
		})
	}
}

// Every 1.x folder_id SPEC §5 names maps to a v1 folder.
func TestUpgradeState1x_folderTable(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	want := map[string]string{
		"utility_bill": "utilityBill", "drivers_license": "identification", "materials": "material",
		"survey_photos": "siteSurvey", "engineering_plansets": "planset", "permits": "permit",
		"interconnection": "interconnection", "interconnections": "interconnection", "insurance": "homeInsurance",
		"installation_photos": "installationPhoto", "internal_documents": "internal", "other_documents": "other",
		"contract": "contract",
	}
	for old, folder := range want {
		raw, _ := json.Marshal(map[string]any{"id": "x", "project_id": "D4YR1VSK7K", "folder_id": old,
			"file_urls": []string{"https://files.example.com/a.pdf"}})
		got, diags := upgraded(t, srv, schemas, "pipesolar_project_file", 0, raw)
		failOnErrors(t, diags)
		if g := str(t, got["folder"]); g != folder {
			t.Errorf("folder_id %q became folder %q, want %q", old, g, folder)
		}
	}
}

// A folder_id with no v1 folder (1.x accepted undocumented ids with a
// warning) is kept, with a warning that says what to do.
func TestUpgradeState1x_unknownFolderKept(t *testing.T) {
	t.Parallel()
	srv := testProtocolServer(t)
	schemas := providerSchemas(t, srv)
	raw, _ := json.Marshal(map[string]any{"id": "x", "project_id": "D4YR1VSK7K", "folder_id": "roof_reports",
		"file_urls": []string{"https://files.example.com/a.pdf"}})
	got, diags := upgraded(t, srv, schemas, "pipesolar_project_file", 0, raw)
	failOnErrors(t, diags)
	if g := str(t, got["folder"]); g != "roof_reports" {
		t.Errorf("folder = %q, want the 1.x value kept", g)
	}
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(diags[0].Detail, "utilityBill") {
		t.Errorf("want one warning listing the v1 folders, got %+v", diags)
	}
}

// upgrade1xMock is a mock holding the 1.x projects by their old
// references, at the stages 1.x left them in.
func upgrade1xMock(t *testing.T) *mockapi.Server {
	t.Helper()
	m := newTestMock(t)
	seed := testProjectSeed()
	seed.Reference, seed.Stage = "RST2Z9YMSI", "Proposal"
	seedTestProject(t, m, seed)
	seed.Reference, seed.Stage, seed.FirstName, seed.LastName = "D4YR1VSK7K", "NTP", "Grace", "Hopper"
	seedTestProject(t, m, seed)
	return m
}

// The upgraded project refreshes with one GET, by its old reference, and
// then plans no change for a configuration naming that reference.
func TestUpgradeState1x_projectRefreshesOnce(t *testing.T) {
	t.Parallel()
	m := upgrade1xMock(t)
	srv, schemas := configuredServer(t, m)
	typ := objectType(t, schemas.ResourceSchemas["pipesolar_project"].ValueType())
	in := state1x(t)["pipesolar_project.lovelace"]
	resp, err := srv.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: in.typeName, Version: in.version, RawState: &tfprotov6.RawState{JSON: in.attributes},
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, resp.Diagnostics)
	m.ResetCounts()
	read, err := srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: in.typeName, CurrentState: resp.UpgradedState,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, read.Diagnostics)
	if err := countsError(m, map[string]int{mockapi.EndpointGetProject: 1}); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Counts()); n != 1 {
		t.Errorf("refresh made calls other than one GET: %v", m.Counts())
	}
	state := decoded(t, typ, read.NewState)
	if state == nil {
		t.Fatal("refresh removed the project")
	}
	if got := str(t, state["project_id"]); got != "RST2Z9YMSI" {
		t.Errorf("project_id = %q after refresh, want the configured old reference", got)
	}
	if got := str(t, state["stage"]); got != "Proposal" {
		t.Errorf("stage = %q after refresh, want Proposal", got)
	}

	// The configuration after the upgrade guide: the project by its old
	// reference, at the same stage.
	config := objectOf(typ, map[string]tftypes.Value{"project_id": tfString("RST2Z9YMSI"), "stage": tfString("Proposal")})
	prior := decodedValue(t, typ, read.NewState)
	plan, err := srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: in.typeName, PriorState: read.NewState, ProposedNewState: read.NewState,
		Config: dynamic(t, typ, config), PriorPrivate: read.Private,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, plan.Diagnostics)
	if planned := decodedValue(t, typ, plan.PlannedState); !planned.Equal(prior) {
		diffs, _ := prior.Diff(planned)
		t.Errorf("the plan changes the upgraded project: %v", diffs)
	}
	if len(plan.RequiresReplace) != 0 {
		t.Errorf("the plan replaces the upgraded project: %v", plan.RequiresReplace)
	}
	if err := countsError(m, map[string]int{mockapi.EndpointGetProject: 1}); err != nil {
		t.Error("planning called the API:", err)
	}
}

// upgrade1xConfig is the 2.x configuration a 1.x user writes by the upgrade
// guide for testdata/upgrade-1x/main.tf: the same projects by their old
// references, the v1 folder names, the activity note unchanged.
const upgrade1xConfig = `
resource "pipesolar_project" "lovelace" {
  project_id = "RST2Z9YMSI"
  stage      = "Proposal"
}

resource "pipesolar_project_stage" "hopper" {
  project_id = "D4YR1VSK7K"
  stage      = "NTP"
}

resource "pipesolar_project_file" "utility_bill" {
  project_id = pipesolar_project.lovelace.project_id
  folder     = "utilityBill"
  files      = [{ url = "https://files.example.com/lovelace/bill-2026-09.pdf" }]
}

resource "pipesolar_project_file" "id" {
  project_id = pipesolar_project.lovelace.project_id
  folder     = "identification"
  files = [
    { url = "https://files.example.com/lovelace/license-front.jpg" },
    { url = "https://files.example.com/lovelace/license-back.jpg" },
  ]
}

resource "pipesolar_project_file" "photos" {
  project_id = "D4YR1VSK7K"
  folder     = "installationPhoto"
  files = [
    { url = "https://files.example.com/D4YR1VSK7K/roof.jpg" },
    { url = "https://files.example.com/D4YR1VSK7K/panels.jpg" },
  ]
}

resource "pipesolar_project_file" "contract" {
  project_id = "D4YR1VSK7K"
  folder     = "contract"
  files      = [{ url = "https://files.example.com/D4YR1VSK7K/contract.pdf" }]
}

resource "pipesolar_project_file" "permits" {
  project_id = "D4YR1VSK7K"
  folder     = "permit"
  files      = [{ url = "https://files.example.com/D4YR1VSK7K/permit.pdf" }]
}

resource "pipesolar_activity" "permit_submitted" {
  project_id   = "D4YR1VSK7K"
  installer_id = "inst-sunville"
  notes        = "Permit application submitted to the City of Sunville."
}
`

// state1xDir writes config and the 1.x state of the resources of the given
// types (all when none is given), their provider address the one the test
// harness serves, into a directory for ConfigDirectory: Terraform then
// plans from the 1.x state.
func state1xDir(t *testing.T, config string, types ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(upgrade1xDir, "state-1x.json"))
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(b, &state); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, r := range state["resources"].([]any) {
		r := r.(map[string]any)
		if len(types) == 0 || slices.Contains(types, r["type"].(string)) {
			r["provider"] = `provider["registry.terraform.io/hashicorp/pipesolar"]`
			kept = append(kept, r)
		}
	}
	state["resources"] = kept
	if b, err = json.MarshalIndent(state, "", "  "); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, content := range map[string][]byte{"terraform.tfstate": b, "main.tf": []byte(config)} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// mockPlanCheck is a plan check of the mock API rather than of the plan:
// which calls making the plan took.
type mockPlanCheck func() error

func (c mockPlanCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c()
}

// testAccDirSteps is testAccParallel for steps with ConfigDirectory, which
// take the provider factories per step.
func testAccDirSteps(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	for i := range steps {
		steps[i].ProtoV6ProviderFactories = testAccProtoV6ProviderFactories
	}
	resource.ParallelTest(t, resource.TestCase{Steps: steps})
}

// A 1.x user who follows the upgrade guide plans "no changes": the state is
// upgraded, each resource refreshed by its old reference, nothing uploaded
// or moved again, and the activity costs no call.
func TestAccUpgradeState1x_plansNoChange(t *testing.T) {
	m := upgrade1xMock(t)
	dir := state1xDir(t, pipeProvider(m)+upgrade1xConfig)
	testAccDirSteps(t, []resource.TestStep{{
		// An apply that changes nothing, so that the upgraded state is
		// written (a plan alone would leave the 1.x state in place).
		ConfigDirectory: func(config.TestStepConfigRequest) string { return dir },
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				// The plan refreshed each resource with one GET by its old
				// reference: the project, the stage and five file
				// resources; the activity made none.
				mockPlanCheck(func() error {
					if err := countsError(m, map[string]int{mockapi.EndpointGetProject: 7}); err != nil {
						return err
					}
					if n := len(m.Counts()); n != 1 {
						return fmt.Errorf("the plan made calls other than GETs: %v", m.Counts())
					}
					return nil
				}),
			},
		},
	}})
	// After the steps and the destroy (ParallelTest returns when they are
	// done): only reads, one GET per refreshed resource (the activity makes
	// none), never a write.
	for key, n := range m.Counts() {
		if key != mockapi.EndpointGetProject {
			t.Errorf("the upgrade called %s %d times: %v", key, n, m.Counts())
		}
	}
}
