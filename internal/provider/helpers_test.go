package provider

// Helpers shared by the tests of several resources and data sources: one
// provider block builder, mock checks and common steps
// (/work/contract/h3-helpers.txt lists them for the other test files).

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

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

// noRetryProvider is a provider block for the mock that never retries, so
// one injected fault is one failed call.
func noRetryProvider(m *mockapi.Server) string {
	return testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), maxRetries: "0"}.String()
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
