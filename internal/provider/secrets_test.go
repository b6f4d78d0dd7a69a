package provider

// Secrets (issue 5): with TF_LOG=TRACE every log line the provider under
// test writes is captured, and no credential may appear in it, nor in an
// error message; every secret attribute is Sensitive.
//
// The tests in this file set process environment variables (the in-process
// provider's log sink reads them when each Terraform command starts it), so
// they cannot run in parallel.

import (
	"crypto"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// Credentials of the secrets tests: distinctive, so a leak cannot hide
// behind a common word, and none a substring of another.
const (
	secPipeToken       = "psk_5ec2e75ec2e75ec2e79c2f41e7d3a0a0a0a0b1b1"
	secClientSecret    = "cs_SECRET_upowr_51d0b8aa6e"
	secStaticToken     = "at_SECRET_static_0e7c93d4f1"
	secWrongPipeToken  = "psk_0bad0bad0bad4b6e8d21c90bad0bad0bad0bad0b"
	secWrongSecret     = "cs_SECRET_wrong_7f3a2b10e5"
	secWrongStatic     = "at_SECRET_wrong_static_38ad"
	secKeyID           = "k-secrets"
	secIssuedTokenMark = "upowr_at_" // every token the mock's token endpoint issues starts so
	// secJWTMark starts every JWT this provider signs ({"alg":"RS256",...}
	// base64url-encoded): a client assertion is a credential too.
	secJWTMark = "eyJhbGciOi"
)

// secMock is a mock that knows the test credentials and the public half of
// registered.
func secMock(t *testing.T, registered crypto.PublicKey) *mockapi.Server {
	t.Helper()
	return mockapi.NewTest(t, mockapi.Config{
		InstallerKey:      secPipeToken,
		UPowrClientSecret: secClientSecret,
		UPowrKeys:         map[string]crypto.PublicKey{secKeyID: registered},
		UPowrStaticTokens: []string{secStaticToken},
	})
}

// secLogCapture makes the in-process provider (and Terraform) write TRACE
// logs to one file per test under a fresh directory, and returns a function
// that reads every entry written so far, except the test harness's own.
//
// terraform-plugin-testing v1.16 serves the provider under test in-process
// with terraform-plugin-log's test sink (tfsdklog.RegisterTestSink), which
// takes its level from TF_LOG (TRACE when a log path is set) and its file
// from TF_LOG_PATH_MASK: one file per test name, "/" replaced by "__". The
// harness passes the same mask, with TF_ACC_LOG, to Terraform CLI, so
// Terraform's own log lands in that file too and is checked as well.
//
// Left out are the entries of the harness itself (logger
// "sdk.helper_resource"): it logs each step's configuration verbatim, and
// that text necessarily holds the credentials the test configures.
func secLogCapture(t *testing.T) func() string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	return func() string {
		files, err := filepath.Glob(filepath.Join(dir, "*.log"))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			harness := false
			for _, line := range strings.Split(string(data), "\n") {
				// An entry starts with a timestamp; its multi-line values
				// continue on lines that start with blanks.
				if secEntryStart.MatchString(line) {
					harness = secHarnessEntry.MatchString(line)
				}
				if !harness {
					b.WriteString(line)
					b.WriteByte('\n')
				}
			}
		}
		return b.String()
	}
}

var (
	// secEntryStart matches the first line of a log entry.
	secEntryStart = regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)
	// secHarnessEntry matches an entry written by terraform-plugin-testing.
	secHarnessEntry = regexp.MustCompile(`^\S+ \[[A-Z]+\] sdk\.helper_resource: `)
)

// secAssertAbsent fails the test for every secret that occurs in text.
func secAssertAbsent(t *testing.T, what, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if i := strings.Index(text, s); i >= 0 {
			lo, hi := max(i-200, 0), min(i+len(s)+100, len(text))
			t.Errorf("%s contains the credential %q:\n...%s...", what, s, text[lo:hi])
		}
	}
}

// secAssertLogged fails unless the log holds one of the provider's own HTTP
// log lines for each endpoint, so the secret checks cannot pass on an empty
// or unrelated log.
func secAssertLogged(t *testing.T, log string, endpoints ...string) {
	t.Helper()
	if len(log) < 100_000 {
		t.Errorf("the captured log has only %d bytes; TRACE logging was not captured", len(log))
	}
	for _, e := range endpoints {
		re := regexp.MustCompile(`\] pipesolar\.http: HTTP request(?: failed)?:[^\n]* url=[^ \n]*` + regexp.QuoteMeta(e))
		if !re.MatchString(log) {
			t.Errorf("the captured log has no provider HTTP log line for %s", e)
		}
	}
}

// pemLines returns the base64 lines of a PEM text: each is key material.
func pemLines(pemText string) []string {
	var out []string
	for _, l := range strings.Split(pemText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}

// secFailure is an ErrorCheck that records the error of a step expected to
// fail and accepts it when it matches want. (ExpectError would only match a
// pattern; the secret checks need the whole text.)
func secFailure(want *regexp.Regexp, got *string) resource.ErrorCheckFunc {
	return func(err error) error {
		*got = err.Error()
		if !want.MatchString(*got) {
			return fmt.Errorf("error does not match %q: %w", want, err)
		}
		return nil
	}
}

// secProjectRef is the old reference of the secrets tests' project.
const secProjectRef = "SECRET0001"

func secUPowrProject(name string) string {
	return fmt.Sprintf(`
resource "pipesolar_upowr_project" %q {
  products_of_interest = [{ solar = true }]
  customer             = jsonencode({ firstName = "Hedy", lastName = "Lamarr" })
  class                = "residential"
  closed_by            = "terraform"
}
`, name)
}

// TestAccSecrets_neverLoggedOrEchoed runs the provider with TRACE logs
// through every way it handles a credential: pipe.solar stage moves, file
// adds and refreshes; UPowr with client credentials, a private key JWT and a
// static access token; and a failing credential of each kind. Neither the
// logs nor an error message may contain any credential: the pipe.solar
// token, the client secret, a line of the private key, the static token,
// any access token the token endpoint issued, or a client assertion.
func TestAccSecrets_neverLoggedOrEchoed(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		// The assertions below read what the acceptance runs logged.
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	clearProviderEnv(t)
	key, keyPEM := testRSAKeyPEM(t)
	_, otherPEM := testRSAKeyPEM(t) // a key UPowr does not know
	secrets := []string{secPipeToken, secClientSecret, secStaticToken, secWrongPipeToken, secWrongSecret,
		secWrongStatic, secIssuedTokenMark, secJWTMark}
	secrets = append(secrets, pemLines(keyPEM)...)
	secrets = append(secrets, pemLines(otherPEM)...)
	readLog := secLogCapture(t)

	pipeAndClientCredentials := func(m *mockapi.Server, stage string) string {
		upowr := upowrClientCredentials(m, m.UPowrBaseURL())
		upowr.clientSecret = secClientSecret
		return testProvider{token: secPipeToken, baseURL: m.PipeBaseURL(), upowr: upowr}.String() + fmt.Sprintf(`
resource "pipesolar_project_stage" "p" {
  project_id = %q
  stage      = %q
}

resource "pipesolar_project_file" "f" {
  project_id = pipesolar_project_stage.p.project_id
  folder     = "contract"
  files      = [{ url = "https://files.example.com/hedy/contract.pdf" }]
}

resource "pipesolar_upowr_charge" "c" {
  project_id = pipesolar_upowr_project.u.id
  amount     = 4200
  type       = "Cash"
  paid_by    = "Customer"
}
`, secProjectRef, stage) + secUPowrProject("u")
	}

	t.Run("pipe.solar and client credentials", func(t *testing.T) {
		m := secMock(t, &key.PublicKey)
		seed := testProjectSeed()
		seed.Reference = secProjectRef
		seedTestProject(t, m, seed)
		testAccSerial(t, []resource.TestStep{
			{Config: pipeAndClientCredentials(m, "NTP")},
			{
				Config: pipeAndClientCredentials(m, "Contract Signed"),
				Check:  checkMockStage(m, secProjectRef, "Contract Signed"),
			},
			{RefreshState: true},
		})
		if m.IssuedTokens() == 0 {
			t.Error("no access token was issued: the client credentials path was not exercised")
		}
	})

	// The other two UPowr credentials create a project too; only the
	// static token never reaches the token endpoint.
	for name, c := range map[string]struct {
		provider func(m *mockapi.Server) string
		tokens   bool
	}{
		"private key JWT":     {func(m *mockapi.Server) string { return secKeyProvider(m, keyPEM) }, true},
		"static access token": {func(m *mockapi.Server) string { return secStaticProvider(m, secStaticToken) }, false},
	} {
		t.Run(name, func(t *testing.T) {
			m := secMock(t, &key.PublicKey)
			testAccSerial(t, []resource.TestStep{{
				Config: c.provider(m) + secUPowrProject("u"),
				Check: mockCheck(func() error {
					if n := len(m.UPowrProjects()); n != 1 {
						return fmt.Errorf("%d projects", n)
					}
					return nil
				}),
			}})
			if issued := m.IssuedTokens() > 0; issued != c.tokens {
				t.Errorf("access tokens issued: %v, want %v", issued, c.tokens)
			}
		})
	}

	failures := map[string]struct {
		provider func(m *mockapi.Server) string
		resource string
		want     string
	}{
		"wrong pipe.solar token": {
			provider: func(m *mockapi.Server) string {
				return testProvider{token: secWrongPipeToken, baseURL: m.PipeBaseURL(), maxRetries: "0"}.String()
			},
			resource: stageConfig(secProjectRef, `stage = "NTP"`),
			want:     `POST /projects/\{id\}/stage .* HTTP 401 .* error.code: unauthorized`,
		},
		"wrong client secret": {
			provider: func(m *mockapi.Server) string {
				upowr := upowrClientCredentials(m, m.UPowrBaseURL())
				upowr.clientSecret = secWrongSecret
				return testProvider{upowr: upowr}.String()
			},
			resource: secUPowrProject("u"),
			want:     `UPowr authentication failed \(client credentials\).*invalid_client`,
		},
		"unregistered private key": {
			provider: func(m *mockapi.Server) string { return secKeyProvider(m, otherPEM) },
			resource: secUPowrProject("u"),
			want:     `UPowr authentication failed \(private key JWT\)`,
		},
		"wrong static access token": {
			provider: func(m *mockapi.Server) string { return secStaticProvider(m, secWrongStatic) },
			resource: secUPowrProject("u"),
			want:     `POST /projects returned HTTP 401`,
		},
	}
	names := make([]string, 0, len(failures))
	for name := range failures {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tc := failures[name]
		t.Run(name, func(t *testing.T) {
			m := secMock(t, &key.PublicKey)
			var got string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				ErrorCheck:               secFailure(expectError(tc.want), &got),
				Steps:                    []resource.TestStep{{Config: tc.provider(m) + tc.resource}},
			})
			if got == "" {
				t.Fatal("the step did not fail")
			}
			secAssertAbsent(t, "the error message", got, secrets)
		})
	}

	log := readLog()
	// SEC_DEBUG_LOG=<file> keeps the checked log for inspection.
	if d := os.Getenv("SEC_DEBUG_LOG"); d != "" {
		_ = os.WriteFile(d, []byte(log), 0o600)
	}
	secAssertLogged(t, log, "/v1/projects/"+secProjectRef, "/v1/projects/"+secProjectRef+"/stage",
		"/v1/projects/"+secProjectRef+"/files", "/oauth/token", "/upowr/projects", "/charges")
	if !strings.Contains(log, "diagnostic_detail") {
		t.Error("the captured log has no diagnostic lines: the failing runs' errors were not logged")
	}
	secAssertAbsent(t, "the TRACE log", log, secrets)
}

// TestSecrets_sensitiveAttributes asks the provider for its schemas, as
// Terraform does, and checks that every credential attribute is Sensitive
// (so Terraform redacts it in plans and output), and that no attribute of
// any schema whose name says it holds a credential is not.
func TestSecrets_sensitiveAttributes(t *testing.T) {
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp := providerSchemas(t, server)
	sensitive := map[string]bool{}
	var walk func(prefix string, attrs []*tfprotov6.SchemaAttribute)
	walk = func(prefix string, attrs []*tfprotov6.SchemaAttribute) {
		for _, a := range attrs {
			name := prefix + a.Name
			sensitive[name] = a.Sensitive
			if a.NestedType != nil {
				walk(name+".", a.NestedType.Attributes)
			}
		}
	}
	walk("provider.", resp.Provider.Block.Attributes)
	for typ, s := range resp.ResourceSchemas {
		walk(typ+".", s.Block.Attributes)
	}
	for typ, s := range resp.DataSourceSchemas {
		walk("data."+typ+".", s.Block.Attributes)
	}

	for _, name := range []string{"provider.api_token", "provider.upowr.access_token", "provider.upowr.client_secret", "provider.upowr.private_key"} {
		s, ok := sensitive[name]
		switch {
		case !ok:
			t.Errorf("%s is not in the provider schema", name)
		case !s:
			t.Errorf("%s is a credential but not Sensitive", name)
		}
	}
	// A URL or an id names a credential's place or owner; it is not one.
	credential := regexp.MustCompile(`(?i)(token|secret|password|private_key|api_key|credential)[^.]*$`)
	notCredential := regexp.MustCompile(`_(url|id)$`)
	for name, s := range sensitive {
		if credential.MatchString(name) && !notCredential.MatchString(name) && !s {
			t.Errorf("%s looks like a credential but is not Sensitive", name)
		}
	}
}

// secKeyProvider is a UPowr provider block authenticating with keyPEM as
// key secKeyID (private key JWT).
func secKeyProvider(m *mockapi.Server, keyPEM string) string {
	return testProvider{upowr: &testUPowr{baseURL: m.UPowrBaseURL(), tokenURL: m.TokenURL(),
		clientID: testUPowrClientID, keyID: secKeyID, privateKey: keyPEM}}.String()
}

// secStaticProvider is a UPowr provider block with a static access token.
func secStaticProvider(m *mockapi.Server, token string) string {
	return testProvider{upowr: &testUPowr{baseURL: m.UPowrBaseURL(), accessToken: token}}.String()
}
