package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

const dsListAddr = "data.pipesolar_projects.all"

// dsListConfig lists the projects selected by filter (`org_id = "x"` or
// `installer_id = "y"`) and, next to it, reads project probeID through data
// pipesolar_project: see dsCheckListRequests.
func dsListConfig(m *mockapi.Server, filter, probeID string) string {
	return pipeProvider(m) + fmt.Sprintf(`
data "pipesolar_projects" "all" {
  %s
}

data "pipesolar_project" "probe" {
  id = %q
}
`, filter, probeID)
}

// dsCheckListRequests checks that every read of data pipesolar_projects made
// exactly perRead requests to the list endpoint.
//
// The harness plans more than once per step (and how often is its own
// business), and each plan reads every data source again, so the list
// endpoint's counter alone says nothing exact. The configuration therefore
// also reads one project through data pipesolar_project (the "probe"):
// Terraform reads both data sources in the same plans, and the probe makes
// exactly one fetch_project request per read (no faults are injected, so
// nothing is retried). fetch_project's counter is thus the number of reads,
// and the list endpoint must have been called exactly reads × perRead times —
// one request too many or too few per read fails the check whatever the
// number of reads. Seeding goes through Go calls, which are not counted.
func dsCheckListRequests(t *testing.T, m *mockapi.Server, endpoint string, perRead int) resource.TestCheckFunc {
	return mockCheck(func() error {
		reads := m.Count(mockapi.EndpointFetchProject)
		got := m.Count(endpoint)
		t.Logf("%d reads, %d requests to %s", reads, got, endpoint)
		if reads == 0 {
			return fmt.Errorf("the probe data source was never read")
		}
		if got != reads*perRead {
			return fmt.Errorf("%s: %d requests in %d reads of the data source, want exactly %d per read (%d)",
				endpoint, got, reads, perRead, reads*perRead)
		}
		return nil
	})
}

// dsListChecks checks that `ids` is exactly want, in order, and that
// `projects` holds the same projects in the same order; the first project
// must read exactly as data pipesolar_project (the probe, want[0]) reads it,
// attribute by attribute.
func dsListChecks(want []string) []statecheck.StateCheck {
	ids := make([]knownvalue.Check, len(want))
	for i, id := range want {
		ids[i] = knownvalue.StringExact(id)
	}
	checks := []statecheck.StateCheck{
		expectAttr(dsListAddr, "ids", knownvalue.ListExact(ids)),
		expectAttr(dsListAddr, "projects", knownvalue.ListSizeExact(len(want))),
	}
	for i, id := range want {
		checks = append(checks, statecheck.ExpectKnownValue(dsListAddr,
			tfjsonpath.New("projects").AtSliceIndex(i).AtMapKey("id"), knownvalue.StringExact(id)))
	}
	if len(want) > 0 {
		for _, name := range slices.Sorted(maps.Keys(projectObjectType().AttrTypes)) {
			checks = append(checks, statecheck.CompareValuePairs(
				dsListAddr, tfjsonpath.New("projects").AtSliceIndex(0).AtMapKey(name),
				"data.pipesolar_project.probe", tfjsonpath.New(name), compare.ValuesSame()))
		}
	}
	return checks
}

func TestAccProjectsDataSource_listShapes(t *testing.T) {
	type listCase struct {
		behaviour mockapi.PipeBehaviour
		seed      int // projects in the org
		returned  int // projects the data source returns: the first ones
		perRead   int // list requests per read of the data source
	}
	cases := map[string]listCase{}
	// 7 projects, 3 per page: pages of 3, 3 and 1. Object shapes report
	// remaining, so the third page (remaining 0) is the last request; a bare
	// array cannot, so an empty fourth page ends the listing.
	for _, shape := range []string{"top", "data", "projects", "results", "response"} {
		for _, key := range []string{"id", "_id", "project_id"} {
			perRead := 3
			if shape == "top" {
				perRead = 4
			}
			cases[shape+"/"+key] = listCase{
				behaviour: mockapi.PipeBehaviour{ListShape: shape, ListIDKey: key, PageSize: 3},
				seed:      7, returned: 7, perRead: perRead,
			}
		}
	}
	// No paging fields: the empty page after the last one ends the listing.
	cases["no paging"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "data", ListPaging: "none", PageSize: 3},
		seed:      7, returned: 7, perRead: 4,
	}
	cases["no paging, full last page"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "results", ListIDKey: "_id", ListPaging: "none", PageSize: 3},
		seed:      6, returned: 6, perRead: 3,
	}
	cases["remaining, full last page"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "projects", PageSize: 3},
		seed:      6, returned: 6, perRead: 2,
	}
	// A server that ignores `page` answers page 2 exactly like page 1: the
	// listing stops there (2 requests) with only the first page's projects.
	// The result is incomplete; that is the documented price of not looping
	// forever.
	cases["ignore page"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "data", PageSize: 3, IgnorePage: true},
		seed:      7, returned: 3, perRead: 2,
	}
	cases["ignore page, bare array"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "top", ListIDKey: "project_id", PageSize: 3, IgnorePage: true},
		seed:      7, returned: 3, perRead: 2,
	}
	// 10 projects fit in one page of 50: one request.
	cases["single page"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "response", ListIDKey: "project_id"},
		seed:      10, returned: 10, perRead: 1,
	}
	cases["single page, no paging"] = listCase{
		behaviour: mockapi.PipeBehaviour{ListShape: "data", ListPaging: "none"},
		seed:      10, returned: 10, perRead: 2,
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			// Another org's projects, created in between, must not show up.
			if _, err := m.SeedRandomProjects("org-other", "", 2); err != nil {
				t.Fatal(err)
			}
			ids, err := m.SeedRandomProjects("org-1", "", tc.seed)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.SeedRandomProjects("org-other", "", 2); err != nil {
				t.Fatal(err)
			}
			m.SetPipeBehaviour(tc.behaviour)
			want := ids[:tc.returned]
			testAccParallel(t, []resource.TestStep{{
				Config:            dsListConfig(m, `org_id = "org-1"`, want[0]),
				ConfigStateChecks: dsListChecks(want),
				Check: resource.ComposeAggregateTestCheckFunc(
					dsCheckListRequests(t, m, mockapi.EndpointListOrg, tc.perRead),
					checkCounts(m, map[string]int{mockapi.EndpointListInstaller: 0}),
				),
			}})
		})
	}
}

func TestAccProjectsDataSource_installer(t *testing.T) {
	m := newTestMock(t)
	instA, err := m.SeedRandomProjects("org-1", "inst-a", 4)
	if err != nil {
		t.Fatal(err)
	}
	instB, err := m.SeedRandomProjects("org-2", "inst-b", 3)
	if err != nil {
		t.Fatal(err)
	}
	other, err := m.SeedRandomProjects("org-1", "", 2)
	if err != nil {
		t.Fatal(err)
	}
	// Reassignments in the app: one of inst-b's projects and one without an
	// installer move to inst-a; one of inst-a's leaves it.
	if !m.SetInstaller(instB[1], "inst-a") || !m.SetInstaller(other[0], "inst-a") || !m.SetInstaller(instA[2], "inst-b") {
		t.Fatal("SetInstaller failed")
	}
	// The API lists in creation order.
	want := []string{instA[0], instA[1], instA[3], instB[1], other[0]}
	m.SetPipeBehaviour(mockapi.PipeBehaviour{PageSize: 2}) // pages of 2, 2 and 1

	testAccParallel(t, []resource.TestStep{{
		Config:            dsListConfig(m, `installer_id = "inst-a"`, want[0]),
		ConfigStateChecks: dsListChecks(want),
		Check: resource.ComposeAggregateTestCheckFunc(
			dsCheckListRequests(t, m, mockapi.EndpointListInstaller, 3),
			checkCounts(m, map[string]int{mockapi.EndpointListOrg: 0}),
		),
	}})
}

func TestAccProjectsDataSource_emptyOrg(t *testing.T) {
	for _, shape := range []string{"top", "data", "response"} {
		t.Run(shape, func(t *testing.T) {
			m := newTestMock(t)
			probe := seedProject(t, m, "org-1")
			m.SetPipeBehaviour(mockapi.PipeBehaviour{ListShape: shape})
			testAccParallel(t, []resource.TestStep{{
				Config: dsListConfig(m, `org_id = "org-empty"`, probe),
				ConfigStateChecks: []statecheck.StateCheck{
					// Empty lists, not null: length() and for expressions
					// work on them.
					expectAttr(dsListAddr, "projects", knownvalue.ListExact([]knownvalue.Check{})),
					expectAttr(dsListAddr, "ids", knownvalue.ListExact([]knownvalue.Check{})),
				},
				// One empty page.
				Check: dsCheckListRequests(t, m, mockapi.EndpointListOrg, 1),
			}})
		})
	}
}

// TestAccProjectsDataSource_invalidConfig: caught when validating, so
// nothing reaches the API.
func TestAccProjectsDataSource_invalidConfig(t *testing.T) {
	const exactlyOne = `Exactly one of these attributes must be configured: \[org_id,installer_id\]`
	list := func(body string) string { return fmt.Sprintf("data \"pipesolar_projects\" \"all\" {\n%s\n}\n", body) }
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"both":             {list(`org_id = "org-1"` + "\n" + `installer_id = "inst-1"`), `Invalid Attribute Combination .*` + exactlyOne},
		"neither":          {list(``), `Missing Attribute Configuration .*` + exactlyOne},
		"empty org_id":     {list(`org_id = ""`), `org_id must not be empty or only white space`},
		"blank org_id":     {list(`org_id = "  "`), `org_id must not be empty or only white space`},
		"empty installer":  {list(`installer_id = ""`), `installer_id must not be empty or only white space`},
		"null and a value": {list(`org_id = null` + "\n" + `installer_id = " "`), `installer_id must not be empty or only white space`},
	})
}

func TestAccProjectsDataSource_errors(t *testing.T) {
	t.Run("wrong token", func(t *testing.T) {
		m := newTestMock(t)
		seedProject(t, m, "org-1")
		testAccParallel(t, []resource.TestStep{{
			Config: testProvider{token: "ps_wrong_token", baseURL: m.PipeBaseURL()}.String() + `data "pipesolar_projects" "all" { org_id = "org-1" }`,
			ExpectError: expectError(
				`Could not list pipe.solar projects .*org_id "org-1".*HTTP 401.*api_token. / PIPESOLAR_API_TOKEN`),
		}})
	})
	t.Run("server error", func(t *testing.T) {
		m := newTestMock(t)
		if _, err := m.SeedRandomProjects("org-1", "inst-1", 3); err != nil {
			t.Fatal(err)
		}
		m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointListInstaller}})
		testAccParallel(t, []resource.TestStep{{
			Config:      noRetryProvider(m) + `data "pipesolar_projects" "all" { installer_id = "inst-1" }`,
			ExpectError: expectError(`Could not list pipe.solar projects .*installer_id "inst-1".*HTTP 500.*retries were exhausted`),
		}})
	})
}

// dsListState builds data pipesolar_projects' state for projects listed
// for org_id "org-1", as Read does.
func dsListState(tb testing.TB, projects []pipesolar.Project) tfsdk.State {
	tb.Helper()
	ctx := context.Background()
	var s datasource.SchemaResponse
	NewProjectsDataSource().Schema(ctx, datasource.SchemaRequest{}, &s)
	config := projectsDataModel{
		projectFilterModel: projectFilterModel{OrgID: types.StringValue("org-1"), InstallerID: types.StringNull()},
		Projects:           types.ListNull(projectObjectType()), IDs: types.ListNull(types.StringType),
	}
	raw, err := projectsState(ctx, s.Schema.Type().TerraformType(ctx), config, projects)
	if err != nil {
		tb.Fatal(err)
	}
	state := tfsdk.State{Schema: s.Schema}
	if diags := state.Set(ctx, raw); diags.HasError() {
		tb.Fatal(diags)
	}
	return state
}

// TestProjectsDataSource_state checks the mapping of a list without
// Terraform: order, ids, a project listed without an id, values equal to
// data pipesolar_project's.
func TestProjectsDataSource_state(t *testing.T) {
	ctx := context.Background()
	projects := []pipesolar.Project{
		testProject("B", map[string]string{"customerFirstName": "Bea", "contractPrice": "1,000.50",
			"submittedDate": "03/07/2025", "secondaryCustomerEmail": "X@Y.com"}),
		testProject(" A ", map[string]string{"customerFirstName": "Al", "numberOfPanel": "20"}),
		testProject("", map[string]string{"customerFirstName": "Nobody"}),
		testProject("C", nil),
	}
	projects[0].Fields["allFilesURL"] = pipesolar.Value{Map: map[string]string{"surveyFiles": "https://f/s"}}
	projects[1].Fields["adders"] = pipesolar.Value{List: []string{"Roof"}}
	state := dsListState(t, projects)
	var m projectsDataModel
	if diags := state.Get(ctx, &m); diags.HasError() {
		t.Fatal(diags)
	}
	if m.OrgID.ValueString() != "org-1" || !m.InstallerID.IsNull() {
		t.Errorf("org_id %s, installer_id %s", m.OrgID, m.InstallerID)
	}
	var ids []string
	if diags := m.IDs.ElementsAs(ctx, &ids, false); diags.HasError() {
		t.Fatal(diags)
	}
	if want := []string{"B", "A", "C"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %q, want %q", ids, want)
	}
	elems := m.Projects.Elements()
	if len(elems) != len(projects) {
		t.Fatalf("%d projects, want %d", len(elems), len(projects))
	}
	for i := range projects {
		want := projectAPIValues(&projects[i])
		got := elems[i].(types.Object).Attributes()
		if len(got) != len(want) {
			t.Errorf("project %d: %d attributes, want %d", i, len(got), len(want))
		}
		for name, w := range want {
			if !got[name].Equal(w) {
				t.Errorf("project %d, %s = %s, want %s", i, name, got[name], w)
			}
		}
	}
	if s := elems[2].String(); !strings.Contains(s, `"first_name":"Nobody"`) || !strings.Contains(s, `"id":<null>`) {
		t.Errorf("project without id = %s", s)
	}
	if s := elems[0].String(); !strings.Contains(s, `"system_cost":1000.5`) || !strings.Contains(s, `"submitted_date":"2025-03-07"`) {
		t.Errorf("first project = %s", s)
	}
}

// BenchmarkProjectsDataSource_state measures the provider's own work for a
// large listing (mapping 10,000 projects and writing the state), without
// HTTP or Terraform. No timing is asserted anywhere.
func BenchmarkProjectsDataSource_state(b *testing.B) {
	projects := make([]pipesolar.Project, 10000)
	for i := range projects {
		projects[i] = testProject(fmt.Sprintf("P%09d", i), map[string]string{
			"customerFirstName": "Ada", "customerLastName": "Lovelace", "customerEmail": "Ada@Example.com",
			"customerAddress": "123 Solar St, Sunville, CA 90210", "projectStatus": "Proposal", "submittedDate": "03/07/2025",
			"systemSize": "8.50", "contractPrice": "18,450.01", "numberOfPanel": "20", "financeAmount": "18,450.01",
		})
		projects[i].Fields["adders"] = pipesolar.Value{List: []string{"Roof work"}}
		projects[i].Fields["allFilesURL"] = pipesolar.Value{Map: map[string]string{
			"surveyFiles": "https://pipe.solar/files/x/survey", "permits": "https://pipe.solar/files/x/permits"}}
	}
	b.ReportAllocs()
	for b.Loop() {
		dsListState(b, projects)
	}
}

// dsObject is a value of typ with the given attributes and every other one
// null.
func dsObject(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for k, t := range typ.AttributeTypes {
		if v, ok := set[k]; ok {
			vals[k] = v
		} else {
			vals[k] = tftypes.NewValue(t, nil)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// BenchmarkProjectsDataSource_read10000 measures one read of 10,000 projects
// (200 pages of 50) through the provider's protocol server, as Terraform
// calls it: HTTP to an in-process mock, decoding, mapping and the msgpack
// encoding of the result, by projectsServer (NewProtocol6Server) and by the
// framework alone (New). Terraform's share is not included. No timing is asserted
// anywhere.
func BenchmarkProjectsDataSource_read10000(b *testing.B) {
	m := mockapi.NewTest(b, mockapi.Config{PipeToken: testPipeToken})
	if _, err := m.SeedRandomProjects("org-1", "", 10000); err != nil {
		b.Fatal(err)
	}
	for name, read := range map[string]func(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error){
		"direct":    configuredServer(b, m, nil).ReadDataSource,
		"framework": frameworkServer(b, m, nil).ReadDataSource,
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				readProjectsVia(b, read, `org-1`)
			}
		})
	}
}

// testProject is a listed project with the given id and text members.
func testProject(id string, text map[string]string) pipesolar.Project {
	p := pipesolar.Project{ID: id, Fields: make(map[string]pipesolar.Value, len(text))}
	for k, v := range text {
		p.Fields[k] = pipesolar.Value{Text: v}
	}
	return p
}
