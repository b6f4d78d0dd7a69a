package provider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// testAccProtoV6ProviderFactories runs the provider in-process for
// acceptance tests.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"pipesolar": NewProtocol6Server("test"),
}

// testAccParallel runs steps, in order, as one acceptance test of the
// in-process provider, in parallel with the other parallel tests.
func testAccParallel(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

// testAccSerial is testAccParallel for a test that must not run in
// parallel: it sets process environment variables, which the in-process
// provider reads.
func testAccSerial(t *testing.T, steps []resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

// expectError matches a Terraform error message: Terraform wraps long
// lines, so every space in pattern matches any run of white space.
func expectError(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// testRSAKeyPEM returns a fresh RSA private key in PKCS #8 PEM form.
func testRSAKeyPEM(t *testing.T) (*rsa.PrivateKey, string) { //nolint:unparam // the key is for UPowr tests
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// newTestMock starts an in-process mock API for one test.
func newTestMock(t *testing.T) *mockapi.Server {
	t.Helper()
	return mockapi.NewTest(t, mockapi.Config{PipeToken: testPipeToken})
}

const testPipeToken = "ps_test_token_4f9a"

// seedProject stores a project in the mock and returns its id.
func seedProject(t *testing.T, m *mockapi.Server, org string) string {
	t.Helper()
	id, err := m.SeedProject(org, "inst-1", map[string]any{
		"address": "123 Solar St, Sunville, CA 90210", "first_name": "Ada", "last_name": "Lovelace",
		"email": "Ada@Example.com", "phone_number": "555-123-9876", "org_id": org,
		"sales_rep": "rep-1", "setter": "setter-1", "system_size": 8.5, "system_cost": 18450.01,
		"panel_count": "20", "project_stage": "Proposal", "adders": []string{"Roof work"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// pipeProvider is a provider block for the mock's pipe.solar API (with
// batch_refresh in eachRefreshPath's batch subtests).
func pipeProvider(m *mockapi.Server) string {
	return testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), batchRefresh: batchRefreshFor(m)}.String()
}

// projectLookup reads the project with the given id through the data source.
func projectLookup(id string) string {
	return fmt.Sprintf(`data "pipesolar_project" "p" {
  id = %q
}
`, id)
}

// projectLookupInOrg is projectLookup with the project's org_id.
func projectLookupInOrg(id, org string) string {
	return fmt.Sprintf(`data "pipesolar_project" "p" {
  id     = %q
  org_id = %q
}
`, id, org)
}

func TestAccProvider_validConfigs(t *testing.T) {
	_, keyPEM := testRSAKeyPEM(t)
	// Each configuration reads a project from its own mock; %[1]s is the
	// pipe.solar base URL, %[2]s the token.
	configs := map[string]string{
		"pipe.solar only, loopback http": `provider "pipesolar" {
  api_token = "%[2]s"
  base_url  = "%[1]s"
}`,
		"everything, client credentials": `provider "pipesolar" {
  api_token = "%[2]s"
  base_url  = "%[1]s"
  upowr = {
    base_url      = "https://api.example.com"
    client_id     = "id"
    client_secret = "secret"
    audience      = "https://api.example.com"
    token_url     = "http://localhost:9000/oauth/token"
  }
  max_retries         = 0
  request_timeout     = "1m30s"
  requests_per_second = 2.5
}`,
		"static access token": `provider "pipesolar" {
  api_token = "%[2]s"
  base_url  = "%[1]s"
  upowr     = { access_token = "abc" }
}`,
		"private key": `provider "pipesolar" {
  api_token = "%[2]s"
  base_url  = "%[1]s"
  upowr = {
    client_id   = "id"
    key_id      = "k1"
    private_key = <<-EOT
` + keyPEM + `EOT
  }
}`,
	}
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			id := seedProject(t, m, "org-1")
			testAccParallel(t, []resource.TestStep{{
				Config: fmt.Sprintf(cfg, m.PipeBaseURL(), testPipeToken) + "\n" + projectLookup(id),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr("data.pipesolar_project.p", "first_name", knownvalue.StringExact("Ada")),
				},
			}})
		})
	}
}

func TestAccProvider_invalidConfigs(t *testing.T) {
	cases := map[string]struct {
		config string
		want   string
	}{
		"http to a remote host": {
			`provider "pipesolar" { base_url = "http://pipe.solar/api/1.1/wf" }`,
			`base_url.*plain http to a host that is not loopback`,
		},
		"upowr http token url": {
			`provider "pipesolar" { upowr = { access_token = "x", token_url = "http://id.example.com/token" } }`,
			`upowr.token_url.*not loopback`,
		},
		"not a url": {
			`provider "pipesolar" { base_url = "pipe.solar" }`,
			`base_url.*must start with https://`,
		},
		"ftp": {
			`provider "pipesolar" { upowr = { base_url = "ftp://example.com" } }`,
			`upowr.base_url.*must start with https://`,
		},
		"bad duration": {
			`provider "pipesolar" { request_timeout = "30" }`,
			`request_timeout.*not a duration`,
		},
		"zero duration": {
			`provider "pipesolar" { request_timeout = "0s" }`,
			`request_timeout.*greater than zero`,
		},
		"negative retries": {
			`provider "pipesolar" { max_retries = -1 }`,
			`max_retries.*between 0 and 10`,
		},
		"too many retries": {
			`provider "pipesolar" { max_retries = 11 }`,
			`max_retries.*between 0 and 10`,
		},
		"negative rate": {
			`provider "pipesolar" { requests_per_second = -1 }`,
			`requests_per_second.*at least 0`,
		},
		"empty token": {
			`provider "pipesolar" { api_token = "" }`,
			`api_token.*at least 1`,
		},
		"access token and client id": {
			`provider "pipesolar" { upowr = { access_token = "a", client_id = "b", client_secret = "c" } }`,
			`upowr.client_id" cannot be specified when "upowr.access_token"`,
		},
		"secret and private key": {
			`provider "pipesolar" { upowr = { client_id = "a", client_secret = "b", private_key = "c", key_id = "k" } }`,
			`upowr.private_key" cannot be specified when "upowr.client_secret"`,
		},
		"client id alone": {
			`provider "pipesolar" { upowr = { client_id = "a" } }`,
			`upowr.client_id.*neither a client secret nor a private key`,
		},
		"secret without client id": {
			`provider "pipesolar" { upowr = { client_secret = "a" } }`,
			`upowr.client_secret.*client id is missing.*UPOWR_CLIENT_ID`,
		},
		"private key without key id": {
			`provider "pipesolar" { upowr = { client_id = "a", private_key = "b" } }`,
			`upowr.private_key.*key id is missing.*UPOWR_KEY_ID`,
		},
		"private key not a key": {
			`provider "pipesolar" { upowr = { client_id = "a", private_key = "not a pem", key_id = "k" } }`,
			`upowr.private_key.*no PEM block found`,
		},
		"key id alone": {
			`provider "pipesolar" { upowr = { key_id = "k" } }`,
			`upowr.key_id.*without a private key`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			testAccParallel(t, []resource.TestStep{{
				Config:      tc.config + "\n" + projectLookup("P1"),
				ExpectError: expectError(tc.want),
			}})
		})
	}
}

// Default UPowr credentials of the mock.
const (
	testUPowrClientID     = "upowr-client"
	testUPowrClientSecret = "upowr-secret"
)

// upowrProvider is a provider block for the mock's UPowr API with client
// credentials (and no pipe.solar token: UPowr resources do not need one).
func upowrProvider(m *mockapi.Server) string {
	return fmt.Sprintf(`provider "pipesolar" {
  upowr = {
    base_url      = %q
    token_url     = %q
    client_id     = %q
    client_secret = %q
  }
}
`, m.UPowrBaseURL(), m.TokenURL(), testUPowrClientID, testUPowrClientSecret)
}
