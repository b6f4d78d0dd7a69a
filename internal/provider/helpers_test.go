package provider

// Helpers shared by the tests of several resources and data sources: one
// provider block builder, mock checks, the step sequences the append-only
// project children share, and the unit test of a state-only destroy.

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// testUUID is the form of the ids UPowr assigns.
var testUUID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// testProvider renders a provider "pipesolar" block; empty fields are left
// out, so the provider's defaults (or environment) apply.
type testProvider struct {
	token, baseURL string // pipe.solar api_token and base_url
	maxRetries     string // a number, written as is
	requestTimeout string
	batchRefresh   bool
	upowr          *testUPowr
}

// testUPowr is the upowr object of a testProvider.
type testUPowr struct {
	baseURL, tokenURL, audience               string
	clientID, clientSecret, keyID, privateKey string
	accessToken                               string
}

func (p testProvider) String() string {
	var b strings.Builder
	b.WriteString("provider \"pipesolar\" {\n")
	hclArgs(&b, "  ", "api_token", p.token, "base_url", p.baseURL, "request_timeout", p.requestTimeout)
	if p.maxRetries != "" {
		fmt.Fprintf(&b, "  max_retries = %s\n", p.maxRetries)
	}
	if p.batchRefresh {
		b.WriteString("  batch_refresh = true\n")
	}
	if u := p.upowr; u != nil {
		b.WriteString("  upowr = {\n")
		hclArgs(&b, "    ", "base_url", u.baseURL, "token_url", u.tokenURL, "audience", u.audience,
			"client_id", u.clientID, "client_secret", u.clientSecret, "key_id", u.keyID,
			"private_key", u.privateKey, "access_token", u.accessToken)
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// hclArgs writes `name = "value"` for each name and value pair whose value
// is not empty.
func hclArgs(b *strings.Builder, indent string, pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			fmt.Fprintf(b, "%s%s = %q\n", indent, pairs[i], pairs[i+1])
		}
	}
}

// pipeProviderAt is a provider block for pipe.solar at baseURL (the mock,
// or a proxy in front of it) with maxRetries ("" for the default).
func pipeProviderAt(baseURL, maxRetries string) string {
	return testProvider{token: testPipeToken, baseURL: baseURL, maxRetries: maxRetries}.String()
}

// noRetryProvider is a provider block for the mock that never retries, so
// one injected fault is one failed call.
func noRetryProvider(m *mockapi.Server) string {
	return testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), maxRetries: "0", batchRefresh: batchRefreshFor(m)}.String()
}

// refreshPath is one of the two ways a refresh reads a project.
type refreshPath struct {
	name  string
	batch bool // batch_refresh on
	// readEndpoint is what a refresh of a project of a known org calls.
	readEndpoint string
}

var refreshPaths = []refreshPath{
	{name: "fetch_project", readEndpoint: mockapi.EndpointFetchProject},
	{name: "batch_refresh", batch: true, readEndpoint: mockapi.EndpointListOrg},
}

// batchMocks holds the mocks whose provider blocks turn batch_refresh on.
var batchMocks sync.Map

func batchRefreshFor(m *mockapi.Server) bool {
	_, ok := batchMocks.Load(m)
	return ok
}

// eachRefreshPath runs test once per refresh path, each in a subtest with
// a mock of its own; on the batch path the mock's provider blocks
// (pipeProvider, noRetryProvider) set batch_refresh = true. Plans must be
// the same either way, so test's steps are. Afterwards it checks that the
// refreshes took the path: the batch path listed the org, the other never
// did.
func eachRefreshPath(t *testing.T, test func(t *testing.T, m *mockapi.Server, path refreshPath)) {
	t.Helper()
	for _, rp := range refreshPaths {
		t.Run(rp.name, func(t *testing.T) {
			m := newTestMock(t)
			if rp.batch {
				batchMocks.Store(m, true)
				t.Cleanup(func() { batchMocks.Delete(m) })
			}
			test(t, m, rp)
			// Runs after the steps: ParallelTest returns when they are done.
			if listed := m.Count(mockapi.EndpointListOrg); rp.batch != (listed > 0) {
				t.Errorf("%s: the org was listed %d times since the counters were last reset", rp.name, listed)
			}
		})
	}
}

// upowrClientCredentials is the upowr object for the mock's client
// credentials, with the UPowr API at baseURL.
func upowrClientCredentials(m *mockapi.Server, baseURL string) *testUPowr {
	return &testUPowr{baseURL: baseURL, tokenURL: m.TokenURL(), clientID: testUPowrClientID, clientSecret: testUPowrClientSecret}
}

// mockCheck is a TestStep check of the mock API rather than of Terraform
// state: what pipe.solar or UPowr now hold, or which calls reached them.
func mockCheck(check func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return check() }
}

// checkCounts fails unless the mock counted exactly the given number of
// requests on each endpoint.
func checkCounts(m *mockapi.Server, want map[string]int) resource.TestCheckFunc {
	return mockCheck(func() error { return countsError(m, want) })
}

// countsError names an endpoint the mock did not count exactly as often as
// want says, with all its counts; nil when every count matches.
func countsError(m *mockapi.Server, want map[string]int) error {
	for endpoint, n := range want {
		if got := m.Count(endpoint); got != n {
			return fmt.Errorf("%s was called %d times, want %d (all counts: %v)", endpoint, got, n, m.Counts())
		}
	}
	return nil
}

// checkStored compares the objects the mock stores with want, in order.
func checkStored[T any](what string, got, want []T, equal func(a, b T) bool) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: the mock holds %d, want %d: %+v", what, len(got), len(want), got)
	}
	for i := range want {
		if !equal(got[i], want[i]) {
			return fmt.Errorf("%s %d = %+v, want %+v", what, i, got[i], want[i])
		}
	}
	return nil
}

// expectAttr checks attribute attr (top level) of the resource or data
// source at addr in the state after a step.
func expectAttr(addr, attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

// expectPlannedAttr checks attribute attr (top level) of the resource at
// addr in the plan.
func expectPlannedAttr(addr, attr string, v knownvalue.Check) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
}

// attrChanges returns a state check to put in each step after which attr
// of addr must differ from its value at the previous such step.
func attrChanges(addr, attr string) func() statecheck.StateCheck {
	differs := statecheck.CompareValue(compare.ValuesDiffer())
	return func() statecheck.StateCheck { return differs.AddStateValue(addr, tfjsonpath.New(attr)) }
}

// notFoundStyles are the ways pipe.solar answers a fetch_project for a
// project it does not have (mockapi.PipeBehaviour.NotFound): HTTP 404, data
// null, data empty, and HTTP 400 "not found".
var notFoundStyles = []string{"404", "null", "empty", "400"}

// deleteProjectInApp deletes a project in the mock, as a user of the
// pipe.solar app would; it is a PreConfig.
func deleteProjectInApp(t *testing.T, m *mockapi.Server, id string) func() {
	return func() {
		if !m.DeleteProject(id) {
			t.Fatalf("project %s not found in the mock", id)
		}
	}
}

// stepPlansCreate is a plan-only step whose refreshed plan creates every
// address in addrs again: their remote object is gone, or was never
// confirmed.
func stepPlansCreate(preConfig func(), config string, addrs ...string) resource.TestStep {
	checks := make([]plancheck.PlanCheck, len(addrs))
	for i, a := range addrs {
		checks[i] = plancheck.ExpectResourceAction(a, plancheck.ResourceActionCreate)
	}
	return resource.TestStep{
		PreConfig:          preConfig,
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
		ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPostRefresh: checks},
	}
}

// stepPlansNothing is a plan-only step whose refreshed plan is empty.
func stepPlansNothing(preConfig func(), config string) resource.TestStep {
	return resource.TestStep{
		PreConfig:        preConfig,
		Config:           config,
		PlanOnly:         true,
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}
}

// invalidConfig is a configuration (without provider block) that must fail
// validation with an error matching want.
type invalidConfig struct{ config, want string }

// testAccInvalid runs each case in a parallel subtest with a mock of its
// own: the plan fails with the case's error, and no request reaches the
// mock. provider renders the provider block for the mock.
func testAccInvalid(t *testing.T, provider func(*mockapi.Server) string, cases map[string]invalidConfig) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			testAccParallel(t, []resource.TestStep{{
				Config:      provider(m) + tc.config,
				PlanOnly:    true,
				ExpectError: expectError(tc.want),
			}})
			// Runs after the steps: ParallelTest returns when they are done.
			if counts := m.Counts(); len(counts) != 0 {
				t.Errorf("an invalid configuration reached the API: %v", counts)
			}
		})
	}
}

// projectChild describes an append-only child of a pipe.solar project
// (pipesolar_activity, pipesolar_project_file) for the tests they share.
type projectChild struct {
	addr   string                        // address of the resource in block
	block  func(projectID string) string // one valid resource
	create string                        // the mock's endpoint of the create
	// stored checks that the mock holds exactly n objects for the project,
	// each the one block describes.
	stored func(m *mockapi.Server, projectID string, n int) error
	// ambiguous is the error of a create whose request may have been
	// carried out.
	ambiguous string
}

func (c projectChild) check(m *mockapi.Server, projectID string, n int) resource.TestCheckFunc {
	return mockCheck(func() error { return c.stored(m, projectID, n) })
}

// start starts a mock holding one project and returns it, the project's
// id, and the configuration of one child of that project, after provider's
// block for the mock.
func (c projectChild) start(t *testing.T, provider func(*mockapi.Server) string) (m *mockapi.Server, id, cfg string) {
	t.Helper()
	m = newTestMock(t)
	id = seedProject(t, m, "org-1")
	return m, id, provider(m) + c.block(id)
}

// childVersion is one configuration in an append-only child's lifecycle
// test, and what its state must hold.
type childVersion struct {
	config string
	checks []statecheck.StateCheck
}

// testLifecycle runs three versions of the child, each changing an
// argument of the one before, on project projectID of m. The first is
// created with one call; the same configuration again plans nothing and
// calls nothing; each change creates a new object with a new id (destroy
// before create) and keeps the older ones; destroy removes nothing.
// storedFirst(n) checks that the mock holds exactly the first n versions.
func (c projectChild) testLifecycle(t *testing.T, m *mockapi.Server, storedFirst func(n int) resource.TestCheckFunc, v [3]childVersion) {
	t.Helper()
	idChanges := attrChanges(c.addr, "id")
	replaced := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(c.addr, plancheck.ResourceActionDestroyBeforeCreate),
	}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             storedFirst(3),
		Steps: []resource.TestStep{
			{
				PreConfig:         m.ResetCounts,
				Config:            v[0].config,
				ConfigStateChecks: append(v[0].checks, idChanges()),
				Check:             resource.ComposeAggregateTestCheckFunc(storedFirst(1), checkCounts(m, map[string]int{c.create: 1})),
			},
			stepPlansNothing(m.ResetCounts, v[0].config),
			{
				Config:            v[1].config,
				ConfigPlanChecks:  replaced,
				ConfigStateChecks: append(v[1].checks, idChanges()),
				Check:             resource.ComposeAggregateTestCheckFunc(storedFirst(2), checkCounts(m, map[string]int{c.create: 1})),
			},
			{
				Config:            v[2].config,
				ConfigPlanChecks:  replaced,
				ConfigStateChecks: append(v[2].checks, idChanges()),
				Check:             storedFirst(3),
			},
		},
	})
}

// testParentDeleted: a project deleted in the app removes the child from
// state (the plan creates it again), and that create fails while the
// project is gone.
func (c projectChild) testParentDeleted(t *testing.T) {
	m, id, cfg := c.start(t, pipeProvider)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg, Check: c.check(m, id, 1)},
		stepPlansCreate(deleteProjectInApp(t, m, id), cfg, c.addr),
		{Config: cfg, ExpectError: expectError(`Project not found.*` + id)},
	})
}

// testReadErrorKeepsState: a failed read of the parent is an error, never
// "gone": the child stays in state and nothing is created again.
func (c projectChild) testReadErrorKeepsState(t *testing.T) {
	m, id, cfg := c.start(t, noRetryProvider)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		{
			PreConfig: func() {
				m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointFetchProject}})
			},
			Config:      cfg,
			ExpectError: expectError(`Could not check that the pipe.solar project still exists.*HTTP 500`),
		},
		stepPlansNothing(func() { m.SetFaults(mockapi.Faults{}) }, cfg),
	})
	if err := c.stored(m, id, 1); err != nil {
		t.Error(err)
	}
}

// testAmbiguousWrite drops the connection after the mock stored the
// object: the apply fails saying it may exist, nothing is retried, exactly
// one object exists, and the failed create left nothing in state.
func (c projectChild) testAmbiguousWrite(t *testing.T) {
	m, id, cfg := c.start(t, pipeProvider)
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig: func() {
				m.SetFaults(mockapi.Faults{DropAfterCommit: 1, Endpoints: []string{c.create}})
			},
			Config:      cfg,
			ExpectError: expectError(c.ambiguous),
		},
		stepPlansCreate(func() {
			if n := m.Count(c.create); n != 1 {
				t.Errorf("%s was called %d times, want 1 (no retry)", c.create, n)
			}
			if err := c.stored(m, id, 1); err != nil {
				t.Error(err)
			}
			m.SetFaults(mockapi.Faults{})
		}, cfg, c.addr),
	})
}

// testDestroyWarns runs the destroy plan (ModifyPlan) and Delete of r on a
// state built from model: each must give exactly one warning, and its
// detail must contain every string in want. It returns the warnings'
// summaries by "destroy plan" and "delete".
func testDestroyWarns(t *testing.T, r fwresource.Resource, model any, want ...string) map[string]string {
	t.Helper()
	ctx := context.Background()
	var s fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &s)
	state := tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(ctx), nil)}
	if diags := state.Set(ctx, model); diags.HasError() {
		t.Fatalf("building state: %v", diags)
	}
	nullPlan := tfsdk.Plan{Schema: state.Schema, Raw: tftypes.NewValue(state.Raw.Type(), nil)}
	mp := fwresource.ModifyPlanResponse{Plan: nullPlan}
	modifier, ok := r.(fwresource.ResourceWithModifyPlan)
	if !ok {
		t.Fatalf("%T does not implement ModifyPlan", r)
	}
	modifier.ModifyPlan(ctx, fwresource.ModifyPlanRequest{State: state, Plan: nullPlan}, &mp)
	del := fwresource.DeleteResponse{State: state}
	r.Delete(ctx, fwresource.DeleteRequest{State: state}, &del)
	summaries := map[string]string{}
	for what, diags := range map[string]diag.Diagnostics{"destroy plan": mp.Diagnostics, "delete": del.Diagnostics} {
		if len(diags) != 1 || diags.WarningsCount() != 1 {
			t.Fatalf("%s: want exactly one warning, got %v", what, diags)
		}
		for _, w := range want {
			if !strings.Contains(diags[0].Detail(), w) {
				t.Errorf("%s: warning %q does not mention %q", what, diags[0].Detail(), w)
			}
		}
		summaries[what] = diags[0].Summary()
	}
	return summaries
}
