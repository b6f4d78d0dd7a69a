package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var upowrAttrNames = []string{"base_url", "access_token", "client_id", "client_secret", "private_key", "key_id", "audience", "token_url"}

// upowrObject builds the provider's upowr object with the given attributes
// set and the rest null.
func upowrObject(set map[string]string) types.Object {
	typ := map[string]attr.Type{}
	vals := map[string]attr.Value{}
	for _, n := range upowrAttrNames {
		typ[n] = types.StringType
		vals[n] = types.StringNull()
		if v, ok := set[n]; ok {
			vals[n] = types.StringValue(v)
		}
	}
	return types.ObjectValueMust(typ, vals)
}

func nullProviderModel() providerModel {
	return providerModel{
		APIToken: types.StringNull(), BaseURL: types.StringNull(), UPowr: types.ObjectNull(nil),
		MaxRetries: types.Int64Null(), RequestTimeout: types.StringNull(), RequestsPerSecond: types.Float64Null(),
		BatchRefresh: types.BoolNull(),
	}
}

func envMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestResolveSettings_upowrAuth(t *testing.T) {
	_, keyPEM := testRSAKeyPEM(t)
	cases := []struct {
		name    string
		config  map[string]string // upowr attributes in the configuration
		env     map[string]string
		method  string // "token", "secret", "key" or "" for a problem
		problem string // substring of the deferred problem
		diag    string // substring of an immediate error
	}{
		{name: "env token", env: map[string]string{envUPowrAccessToken: "tok"}, method: "token"},
		{name: "env client credentials", env: map[string]string{envUPowrClientID: "id", envUPowrClientSecret: "s"}, method: "secret"},
		{name: "env private key", env: map[string]string{envUPowrClientID: "id", envUPowrPrivateKey: keyPEM, envUPowrKeyID: "k1"}, method: "key"},
		{name: "config id, env secret", config: map[string]string{"client_id": "id"}, env: map[string]string{envUPowrClientSecret: "s"}, method: "secret"},
		{name: "config secret beats env token", config: map[string]string{"client_id": "id", "client_secret": "s"},
			env: map[string]string{envUPowrAccessToken: "tok"}, method: "secret"},
		{name: "config token beats env client credentials", config: map[string]string{"access_token": "tok"},
			env: map[string]string{envUPowrClientID: "id", envUPowrClientSecret: "s"}, method: "token"},
		{name: "config key beats env secret", config: map[string]string{"client_id": "id", "private_key": keyPEM, "key_id": "k"},
			env: map[string]string{envUPowrClientSecret: "s"}, method: "key"},
		{name: "env conflict", env: map[string]string{envUPowrAccessToken: "tok", envUPowrClientID: "id", envUPowrClientSecret: "s"},
			problem: "Both environment variable UPOWR_ACCESS_TOKEN and environment variable UPOWR_CLIENT_ID are set"},
		{name: "env secret and key", env: map[string]string{envUPowrClientID: "id", envUPowrClientSecret: "s", envUPowrPrivateKey: keyPEM, envUPowrKeyID: "k"},
			problem: "Both environment variable UPOWR_CLIENT_SECRET and environment variable UPOWR_PRIVATE_KEY"},
		{name: "env id only", env: map[string]string{envUPowrClientID: "id"},
			problem: "set upowr.client_secret (or environment variable UPOWR_CLIENT_SECRET)"},
		{name: "env secret only", env: map[string]string{envUPowrClientSecret: "s"},
			problem: "client id is missing: set upowr.client_id (or environment variable UPOWR_CLIENT_ID)"},
		{name: "env key without kid", env: map[string]string{envUPowrClientID: "id", envUPowrPrivateKey: keyPEM},
			problem: "key id is missing: set upowr.key_id (or environment variable UPOWR_KEY_ID)"},
		{name: "env key is garbage", env: map[string]string{envUPowrClientID: "id", envUPowrPrivateKey: "nope", envUPowrKeyID: "k"},
			problem: "environment variable UPOWR_PRIVATE_KEY: no PEM block found"},
		{name: "nothing", problem: "Authenticate to UPowr with exactly one of"},
		{name: "config id only is an immediate error", config: map[string]string{"client_id": "id"},
			diag: "neither a client secret nor a private key"},
		{name: "config garbage key is an immediate error", config: map[string]string{"client_id": "id", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "key_id": "k"},
			diag: "not a PKCS #1 or PKCS #8 private key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := nullProviderModel()
			if tc.config != nil {
				cfg.UPowr = upowrObject(tc.config)
			}
			s, diags := resolveSettings(context.Background(), cfg, envMap(tc.env))
			if tc.diag != "" {
				if !diags.HasError() || !strings.Contains(diagText(diags), tc.diag) {
					t.Fatalf("want an immediate error containing %q, got %v", tc.diag, diags)
				}
				return
			}
			if diags.HasError() {
				t.Fatalf("unexpected error: %v", diags)
			}
			if tc.problem != "" {
				if s.upowrProblem == nil || !strings.Contains(s.upowrProblem.detail, tc.problem) {
					t.Fatalf("want a deferred problem containing %q, got %+v", tc.problem, s.upowrProblem)
				}
				return
			}
			if s.upowrProblem != nil {
				t.Fatalf("unexpected problem: %+v", s.upowrProblem)
			}
			got := ""
			switch {
			case s.upowr.AccessToken != "" && s.upowr.ClientSecret == "" && s.upowr.PrivateKeyPEM == "":
				got = "token"
			case s.upowr.ClientSecret != "" && s.upowr.AccessToken == "" && s.upowr.PrivateKeyPEM == "":
				got = "secret"
			case s.upowr.PrivateKeyPEM != "" && s.upowr.AccessToken == "" && s.upowr.ClientSecret == "":
				got = "key"
			}
			if got != tc.method {
				t.Fatalf("method = %q, want %q (config %+v)", got, tc.method, s.upowr)
			}
		})
	}
}

// diagText joins the summaries and details of every error in d.
func diagText(d diag.Diagnostics) string {
	var b strings.Builder
	for _, e := range d.Errors() {
		b.WriteString(e.Summary() + ": " + e.Detail() + "\n")
	}
	return b.String()
}

func summaryOf(d diag.Diagnostics) string {
	if len(d) == 0 {
		return ""
	}
	return d[0].Summary()
}

func detailOf(d diag.Diagnostics) string {
	if len(d) == 0 {
		return ""
	}
	return d[0].Detail()
}

func TestResolveSettings_defaultsAndOverrides(t *testing.T) {
	t.Parallel()
	s, diags := resolveSettings(context.Background(), nullProviderModel(), envMap(nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.http.MaxRetries != 4 || s.http.Timeout != 30*time.Second || s.http.RequestsPerSecond != 0 || s.batchRefresh {
		t.Errorf("defaults: %+v", s.http)
	}
	if s.pipeURL.value != "https://api.pipe.solar/v1" || s.pipeProblem == nil ||
		!strings.Contains(s.pipeProblem.detail, "api_token") || !strings.Contains(s.pipeProblem.detail, envAPIToken) {
		t.Errorf("pipe defaults: url %q problem %v", s.pipeURL.value, s.pipeProblem)
	}
	if s.upowr.BaseURL != "https://api.core.upowr.cloud" || s.upowr.TokenURL != "https://id.core.upowr.cloud/oauth/token" {
		t.Errorf("upowr defaults: %+v", s.upowr)
	}

	cfg := nullProviderModel()
	cfg.MaxRetries = types.Int64Value(0)
	cfg.RequestTimeout = types.StringValue("2m")
	s, diags = resolveSettings(context.Background(), cfg, envMap(map[string]string{
		envMaxRetries: "7", envRequestTimeout: "1s", envRequestsPerSecond: "2.5", envAPIToken: " " + testPipeToken + " ",
		envBatchRefresh: "true",
	}))
	if diags.HasError() || len(diags) != 0 {
		t.Fatal(diags)
	}
	if !s.batchRefresh {
		t.Errorf("PIPESOLAR_BATCH_REFRESH=true: batch_refresh is off")
	}
	cfg.BatchRefresh = types.BoolValue(false)
	if s, _ := resolveSettings(context.Background(), cfg, envMap(map[string]string{envBatchRefresh: "true"})); s.batchRefresh {
		t.Errorf("batch_refresh = false in the configuration must win over PIPESOLAR_BATCH_REFRESH=true")
	}
	if s.http.MaxRetries != 0 || s.http.Timeout != 2*time.Minute || s.http.RequestsPerSecond != 2.5 {
		t.Errorf("config must win, env fills the rest: %+v", s.http)
	}
	if s.pipeToken.value != testPipeToken || !s.pipeToken.fromEnv || s.pipeProblem != nil {
		t.Errorf("token from env, trimmed: %+v", s.pipeToken)
	}
}

func TestResolveSettings_unknownValues(t *testing.T) {
	t.Parallel()
	cfg := nullProviderModel()
	cfg.APIToken = types.StringUnknown()
	cfg.UPowr = types.ObjectUnknown(map[string]attr.Type{})
	s, diags := resolveSettings(context.Background(), cfg, envMap(nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	d := newProviderData(s, "test", "1.11.4")
	_, pd := d.PipeSolar()
	_, ud := d.UPowr()
	for _, dd := range [][]string{{summaryOf(pd), detailOf(pd)}, {summaryOf(ud), detailOf(ud)}} {
		if dd[0] != "Provider configuration is not known yet" || !strings.Contains(dd[1], "api_token, upowr") {
			t.Errorf("unknown values must defer with a clear message, got %q: %q", dd[0], dd[1])
		}
	}
}

// A key that is not psk_ + 40 hex characters gets one warning, on the
// attribute when the configuration holds it, that never shows the key.
func TestResolveSettings_keyForm(t *testing.T) {
	t.Parallel()
	const oldKey = "ps_live_0123456789abcdef" // a retired API's key
	for name, tc := range map[string]struct {
		config, env string
		warn        bool
		onAttribute bool
	}{
		"v1 key in config":     {config: testPipeToken},
		"v1 key in env":        {env: testPipeToken},
		"upper-case hex":       {config: "psk_" + strings.Repeat("AB12", 10)},
		"old key in config":    {config: oldKey, warn: true, onAttribute: true},
		"old key in env":       {env: oldKey, warn: true},
		"psk_, 39 hex":         {config: "psk_" + strings.Repeat("a", 39), warn: true, onAttribute: true},
		"psk_, not hex":        {config: "psk_" + strings.Repeat("g", 40), warn: true, onAttribute: true},
		"psk_, trailing extra": {config: testPipeToken + "0", warn: true, onAttribute: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := nullProviderModel()
			if tc.config != "" {
				cfg.APIToken = types.StringValue(tc.config)
			}
			_, diags := resolveSettings(context.Background(), cfg, envMap(map[string]string{envAPIToken: tc.env}))
			if diags.HasError() {
				t.Fatal(diags)
			}
			if got := diags.WarningsCount(); got != map[bool]int{true: 1}[tc.warn] {
				t.Fatalf("%d warnings, want warn=%v: %v", got, tc.warn, diags)
			}
			if !tc.warn {
				return
			}
			w := diags.Warnings()[0]
			key := tc.config + tc.env
			if strings.Contains(w.Summary()+w.Detail(), key) {
				t.Errorf("the warning shows the key: %s: %s", w.Summary(), w.Detail())
			}
			if !strings.Contains(w.Detail(), "psk_ followed by 40 hexadecimal characters") ||
				!strings.Contains(w.Detail(), "retired API") || !strings.Contains(w.Detail(), envAPIToken) {
				t.Errorf("the warning does not explain: %s", w.Detail())
			}
			_, hasPath := w.(diag.DiagnosticWithPath)
			if hasPath != tc.onAttribute {
				t.Errorf("warning on the attribute: %v, want %v", hasPath, tc.onAttribute)
			}
		})
	}
}

// A base URL of the retired API is refused with the advice to set
// base_url, from the environment as from the configuration (which URLs are
// refused is TestCheckNotRetiredAPI's, in internal/validate).
func TestRetiredAPIBaseURL(t *testing.T) {
	t.Parallel()
	if err := validate.CheckNotRetiredAPI("https://pipe.solar/api/1.1/wf", retiredAPIAdvice); err == nil ||
		!strings.Contains(err.Error(), "https://api.pipe.solar/v1") {
		t.Errorf("the refusal does not say what to set: %v", err)
	}
	cfg := nullProviderModel()
	_, diags := resolveSettings(context.Background(), cfg, envMap(map[string]string{envBaseURL: "https://pipe.solar/api/1.1/wf"}))
	if !diags.HasError() || !strings.Contains(detailOf(diags), envBaseURL) {
		t.Errorf("PIPESOLAR_BASE_URL of the retired API: %v", diags)
	}
}
