package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// The tests in this file set process environment variables, which the
// in-process provider reads, so they cannot run in parallel.

// clearProviderEnv unsets every variable the provider reads.
func clearProviderEnv(t *testing.T) {
	for _, name := range []string{envAPIToken, envBaseURL, envMaxRetries, envRequestTimeout, envRequestsPerSecond, envBatchRefresh,
		envUPowrBaseURL, envUPowrAccessToken, envUPowrClientID, envUPowrClientSecret, envUPowrPrivateKey,
		envUPowrKeyID, envUPowrAudience, envUPowrTokenURL} {
		t.Setenv(name, "")
	}
}

// envTestMock clears the provider's environment and starts a mock holding
// one project, Ada's; it returns the mock and the project's id.
func envTestMock(t *testing.T) (*mockapi.Server, string) {
	t.Helper()
	clearProviderEnv(t)
	m := newTestMock(t)
	return m, seedProject(t, m, "org-1")
}

var firstNameIsAda = []statecheck.StateCheck{
	expectAttr("data.pipesolar_project.p", "first_name", knownvalue.StringExact("Ada")),
}

// testAccReadsAda: with provider (a provider block), data pipesolar_project
// reads project id, Ada's.
func testAccReadsAda(t *testing.T, provider, id string) {
	t.Helper()
	testAccSerial(t, []resource.TestStep{{Config: provider + projectLookup(id), ConfigStateChecks: firstNameIsAda}})
}

func TestAccProvider_envVarsHonoured(t *testing.T) {
	m, id := envTestMock(t)
	t.Setenv(envAPIToken, testPipeToken)
	t.Setenv(envBaseURL, m.PipeBaseURL())
	t.Setenv(envMaxRetries, "2")
	t.Setenv(envRequestTimeout, "10s")
	t.Setenv(envRequestsPerSecond, "100")
	testAccReadsAda(t, `provider "pipesolar" {}`+"\n", id)
}

func TestAccProvider_configWinsOverEnv(t *testing.T) {
	m, id := envTestMock(t)
	// Both would fail if used: a wrong token and a clear-text remote URL.
	t.Setenv(envAPIToken, "wrong-token")
	t.Setenv(envBaseURL, "http://pipe.solar/api/1.1/wf")
	t.Setenv(envRequestTimeout, "not-a-duration")
	testAccReadsAda(t, testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), requestTimeout: "5s"}.String(), id)
}

func TestAccProvider_badEnvValues(t *testing.T) {
	cases := []struct {
		env, value, want string
	}{
		{envBaseURL, "http://pipe.solar/api/1.1/wf", `Environment variable PIPESOLAR_BASE_URL \(used for base_url\).*not loopback`},
		{envMaxRetries, "many", `PIPESOLAR_MAX_RETRIES.*not a whole number`},
		{envMaxRetries, "99", `PIPESOLAR_MAX_RETRIES.*out of range`},
		{envRequestTimeout, "soon", `PIPESOLAR_REQUEST_TIMEOUT.*not a duration`},
		{envRequestsPerSecond, "-3", `PIPESOLAR_REQUESTS_PER_SECOND.*negative`},
		{envBatchRefresh, "sometimes", `PIPESOLAR_BATCH_REFRESH.*not true or false`},
		{envUPowrTokenURL, "http://id.example.com/oauth/token", `UPOWR_TOKEN_URL \(used for upowr.token_url\).*not loopback`},
	}
	for _, tc := range cases {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			clearProviderEnv(t)
			t.Setenv(tc.env, tc.value)
			testAccSerial(t, []resource.TestStep{{
				Config:      `provider "pipesolar" { api_token = "x" }` + "\n" + projectLookup("P1"),
				ExpectError: expectError(tc.want),
			}})
		})
	}
}

func TestAccProvider_missingTokenFailsAtFirstUse(t *testing.T) {
	clearProviderEnv(t)
	m := newTestMock(t)
	testAccSerial(t, []resource.TestStep{{
		Config:      fmt.Sprintf(`provider "pipesolar" { base_url = %q }`, m.PipeBaseURL()) + "\n" + projectLookup("P1"),
		ExpectError: expectError(`Missing pipe.solar API token.*api_token.*PIPESOLAR_API_TOKEN`),
	}})
}

// A broken UPowr environment does not stop a configuration that uses only
// pipe.solar.
func TestAccProvider_upowrEnvIrrelevantToPipeOnlyConfig(t *testing.T) {
	m, id := envTestMock(t)
	t.Setenv(envUPowrClientID, "only-an-id")
	t.Setenv(envUPowrAccessToken, "and-a-token")
	testAccReadsAda(t, pipeProvider(m), id)
}

func TestAccProvider_wrongTokenIsAnError(t *testing.T) {
	m, id := envTestMock(t)
	testAccSerial(t, []resource.TestStep{{
		Config:      testProvider{token: "not-the-token", baseURL: m.PipeBaseURL()}.String() + projectLookup(id),
		ExpectError: expectError(`HTTP 401 \(unauthorized\).*check .api_token. / PIPESOLAR_API_TOKEN`),
	}})
}

// Provider arguments that are unknown until apply do not crash the plan;
// the resources that depend on them run once the values are known.
func TestAccProvider_unknownConfigValues(t *testing.T) {
	m, id := envTestMock(t)
	testAccSerial(t, []resource.TestStep{{
		Config: fmt.Sprintf(`
resource "terraform_data" "token" {
  input = %q
}

provider "pipesolar" {
  api_token = terraform_data.token.output
  base_url  = %q
}

data "pipesolar_project" "p" {
  id         = %q
  depends_on = [terraform_data.token]
}
`, testPipeToken, m.PipeBaseURL(), id),
		ConfigStateChecks: firstNameIsAda,
	}})
}
