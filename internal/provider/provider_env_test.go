package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

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
// one project, at stage Proposal; it returns the mock and the project's id.
func envTestMock(t *testing.T) (*mockapi.Server, string) {
	t.Helper()
	clearProviderEnv(t)
	m := newTestMock(t)
	return m, seedProject(t, m)
}

// testAccMovesStage: with provider (a provider block), a
// pipesolar_project_stage moves project id to NTP.
func testAccMovesStage(t *testing.T, m *mockapi.Server, provider, id string) {
	t.Helper()
	testAccSerial(t, []resource.TestStep{{
		Config: provider + stageConfig(id, `stage = "NTP"`),
		Check:  checkMockStage(m, id, "NTP"),
	}})
}

func TestAccProvider_envVarsHonoured(t *testing.T) {
	m, id := envTestMock(t)
	t.Setenv(envAPIToken, testPipeToken)
	t.Setenv(envBaseURL, m.PipeBaseURL())
	t.Setenv(envMaxRetries, "2")
	t.Setenv(envRequestTimeout, "10s")
	t.Setenv(envRequestsPerSecond, "100")
	t.Setenv(envBatchRefresh, "true")
	testAccMovesStage(t, m, `provider "pipesolar" {}`+"\n", id)
}

func TestAccProvider_configWinsOverEnv(t *testing.T) {
	m, id := envTestMock(t)
	// Each would fail if used: a wrong key, the retired API, a bad timeout.
	t.Setenv(envAPIToken, "psk_0000000000000000000000000000000000000000")
	t.Setenv(envBaseURL, "https://pipe.solar/api/1.1/wf")
	t.Setenv(envRequestTimeout, "not-a-duration")
	testAccMovesStage(t, m, testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), requestTimeout: "5s"}.String(), id)
}

func TestAccProvider_badEnvValues(t *testing.T) {
	cases := []struct {
		env, value, want string
	}{
		{envBaseURL, "http://api.pipe.solar/v1", `Environment variable PIPESOLAR_BASE_URL \(used for base_url\).*not loopback`},
		{envBaseURL, "https://pipe.solar/api/1.1/wf", `Retired pipe.solar API.*PIPESOLAR_BASE_URL.*retired on 2026-10-11.*https://api.pipe.solar/v1`},
		{envBaseURL, "https://legacy.example.com/API/1.1/wf/", `Retired pipe.solar API`},
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
				Config:      `provider "pipesolar" { api_token = "` + testPipeToken + `" }` + "\n" + stageConfig("P1", `stage = "NTP"`),
				ExpectError: expectError(tc.want),
			}})
		})
	}
}

// The provider block's base_url is refused at validate time, on the
// attribute, before any call.
func TestAccProvider_invalidBaseURL(t *testing.T) {
	stage := stageConfig("P1", `stage = "NTP"`)
	at := func(u string) func(*mockapi.Server) string {
		return func(*mockapi.Server) string { return testProvider{token: testPipeToken, baseURL: u}.String() }
	}
	for name, tc := range map[string]struct{ url, want string }{
		"retired API":           {"https://pipe.solar/api/1.1/wf", `Retired pipe.solar API.*base_url.*retired on 2026-10-11.*answer "success" while what they write is lost.*https://api.pipe.solar/v1, or remove it`},
		"retired API elsewhere": {"https://crm-proxy.example.com/api/1.1/wf/", `Retired pipe.solar API`},
		"http, not loopback":    {"http://api.pipe.solar/v1", `base_url .* not loopback`},
	} {
		testAccInvalid(t, at(tc.url), map[string]invalidConfig{name: {stage, tc.want}})
	}
}

func TestAccProvider_missingTokenFailsAtFirstUse(t *testing.T) {
	clearProviderEnv(t)
	m := newTestMock(t)
	testAccSerial(t, []resource.TestStep{{
		Config:      fmt.Sprintf(`provider "pipesolar" { base_url = %q }`, m.PipeBaseURL()) + "\n" + stageConfig("P1", `stage = "NTP"`),
		ExpectError: expectError(`Missing pipe.solar API key .* api_token .* PIPESOLAR_API_TOKEN`),
	}})
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("a call was made without a key: %v", counts)
	}
}

// A broken UPowr environment does not stop a configuration that uses only
// pipe.solar.
func TestAccProvider_upowrEnvIrrelevantToPipeOnlyConfig(t *testing.T) {
	m, id := envTestMock(t)
	t.Setenv(envUPowrClientID, "only-an-id")
	t.Setenv(envUPowrAccessToken, "and-a-token")
	testAccMovesStage(t, m, pipeProvider(m), id)
}

// A key pipe.solar refuses fails with its error code and says what to set;
// the key itself appears nowhere.
func TestAccProvider_wrongKeyIsAnError(t *testing.T) {
	m, id := envTestMock(t)
	const wrong = "psk_1111111111111111111111111111111111111111"
	var got string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		ErrorCheck:               secFailure(expectError(`HTTP 401 .* error.code: unauthorized .* api_token .* PIPESOLAR_API_TOKEN`), &got),
		Steps: []resource.TestStep{{
			Config: testProvider{token: wrong, baseURL: m.PipeBaseURL()}.String() + stageConfig(id, `stage = "NTP"`),
		}},
	})
	if got == "" {
		t.Fatal("the step did not fail")
	}
	if strings.Contains(got, wrong) || strings.Contains(got, "1111111111") {
		t.Errorf("the error shows the key: %s", got)
	}
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
`, testPipeToken, m.PipeBaseURL()) + stageConfig(id, `stage = "NTP"`),
		Check: checkMockStage(m, id, "NTP"),
	}})
}
