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
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
func newTestMock(t testing.TB) *mockapi.Server {
	t.Helper()
	return mockapi.NewTest(t, mockapi.Config{})
}

// testPipeToken is the mock's installer key.
const testPipeToken = mockapi.DefaultInstallerKey

// testProjectSeed is a realistic solar project: Ada Lovelace in Sunville,
// CA, at stage Proposal, with a co-borrower, custom fields and files.
func testProjectSeed() mockapi.ProjectSeed {
	return mockapi.ProjectSeed{
		Reference: "D4YR1VSK7K", Stage: "Proposal",
		FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Phone: "555-010-0001",
		Line1: "123 Solar St", City: "Sunville", State: "CA", PostalCode: "90210",
		CustomFields: map[string]any{"hoa": "yes", "roof_age": 12.5, "battery_ready": true},
		Files:        map[string][]string{"contract": {"https://files.example.com/contract.pdf"}},
		SystemSizeKw: 8.5,
	}
}

// seedTestProject stores seed in the mock and returns Pipe's id.
func seedTestProject(t testing.TB, m *mockapi.Server, seed mockapi.ProjectSeed) string {
	t.Helper()
	id, err := m.SeedProject(seed)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedProject stores testProjectSeed (without its reference, so it can be
// seeded more than once) and returns Pipe's id.
func seedProject(t testing.TB, m *mockapi.Server) string {
	t.Helper()
	seed := testProjectSeed()
	seed.Reference = ""
	return seedTestProject(t, m, seed)
}

// pipeProvider is a provider block for the mock's pipe.solar API.
func pipeProvider(m *mockapi.Server) string {
	return testProvider{token: testPipeToken, baseURL: m.PipeBaseURL()}.String()
}

// projectLookup reads the project with the given id through the data source.
func projectLookup(id string) string {
	return fmt.Sprintf(`data "pipesolar_project" "p" {
  id = %q
}
`, id)
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
			id := seedProject(t, m)
			testAccParallel(t, []resource.TestStep{{
				Config: fmt.Sprintf(cfg, m.PipeBaseURL(), testPipeToken) + "\n" + projectLookup(id),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.pipesolar_project.p", tfjsonpath.New("customer").AtMapKey("first_name"),
						knownvalue.StringExact("Ada")),
				},
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
