package provider

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/upowr"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

const maxRetriesLimit = 10

// Environment variables, one per provider argument.
const (
	envAPIToken          = "PIPESOLAR_API_TOKEN"
	envBaseURL           = "PIPESOLAR_BASE_URL"
	envMaxRetries        = "PIPESOLAR_MAX_RETRIES"
	envRequestTimeout    = "PIPESOLAR_REQUEST_TIMEOUT"
	envRequestsPerSecond = "PIPESOLAR_REQUESTS_PER_SECOND"
	envBatchRefresh      = "PIPESOLAR_BATCH_REFRESH"
	envUPowrBaseURL      = "UPOWR_BASE_URL"
	envUPowrAccessToken  = "UPOWR_ACCESS_TOKEN"
	envUPowrClientID     = "UPOWR_CLIENT_ID"
	envUPowrClientSecret = "UPOWR_CLIENT_SECRET"
	envUPowrPrivateKey   = "UPOWR_PRIVATE_KEY"
	envUPowrKeyID        = "UPOWR_KEY_ID"
	envUPowrAudience     = "UPOWR_AUDIENCE"
	envUPowrTokenURL     = "UPOWR_TOKEN_URL"
)

// setting is one resolved provider argument: the configuration's value, or
// else its environment variable's.
type setting struct {
	path    path.Path
	env     string
	value   string
	set     bool // a value came from the configuration or the environment
	fromEnv bool
}

// name describes where the value came from, for error messages.
func (s setting) name() string {
	if s.fromEnv {
		return fmt.Sprintf("environment variable %s", s.env)
	}
	return s.path.String()
}

// both names the attribute and its environment variable.
func (s setting) both() string {
	return fmt.Sprintf("%s (or environment variable %s)", s.path, s.env)
}

// problem is a configuration fault reported when a resource needs the API.
type problem struct {
	summary, detail string
}

// settings is the provider configuration after environment fallbacks.
type settings struct {
	http      transport.Options
	pipeToken setting
	pipeURL   setting
	// batchRefresh serves project reads from the company's listing.
	batchRefresh bool
	upowr        upowr.Config
	// pipeProblem and upowrProblem hold faults found in environment-only
	// values; they fail the first resource that needs the API.
	pipeProblem, upowrProblem *problem
	unknown                   []string
}

type resolver struct {
	lookup func(string) (string, bool)
	diags  diag.Diagnostics
	unkn   []string
}

func (r *resolver) str(p path.Path, env string, v types.String) setting {
	s := setting{path: p, env: env}
	switch {
	case v.IsUnknown():
		r.unkn = append(r.unkn, p.String())
	case !v.IsNull():
		s.value, s.set = v.ValueString(), true
	default:
		if ev, ok := r.lookup(env); ok && strings.TrimSpace(ev) != "" {
			s.value, s.set, s.fromEnv = strings.TrimSpace(ev), true, true
		}
	}
	return s
}

// fail reports an invalid value: at the attribute when it came from the
// configuration, naming the variable when it came from the environment.
func (r *resolver) fail(s setting, summary, detail string) {
	if s.fromEnv {
		r.diags.AddError(summary, fmt.Sprintf("Environment variable %s (used for %s): %s", s.env, s.path, detail))
		return
	}
	r.diags.AddAttributeError(s.path, summary, fmt.Sprintf("%s: %s", s.path, detail))
}

func resolveSettings(ctx context.Context, cfg providerModel, lookup func(string) (string, bool)) (settings, diag.Diagnostics) {
	r := &resolver{lookup: lookup}
	var s settings

	// Shared HTTP behaviour.
	s.http = transport.Options{MaxRetries: transport.DefaultMaxRetries, Timeout: transport.DefaultTimeout}
	if v := r.int(path.Root("max_retries"), envMaxRetries, cfg.MaxRetries); v.set {
		n, _ := strconv.Atoi(v.value)
		if n < 0 || n > maxRetriesLimit {
			r.fail(v, "Invalid max_retries", fmt.Sprintf("%d is out of range: use a whole number from 0 to %d.", n, maxRetriesLimit))
		}
		s.http.MaxRetries = n
	}
	if v := r.str(path.Root("request_timeout"), envRequestTimeout, cfg.RequestTimeout); v.set {
		if err := validate.CheckDuration(v.value); err != nil {
			r.fail(v, "Invalid request_timeout", err.Error()+".")
		} else {
			s.http.Timeout, _ = time.ParseDuration(v.value)
		}
	}
	if v := r.float(path.Root("requests_per_second"), envRequestsPerSecond, cfg.RequestsPerSecond); v.set {
		f, _ := strconv.ParseFloat(v.value, 64)
		if f < 0 {
			r.fail(v, "Invalid requests_per_second", fmt.Sprintf("%s is negative: use 0 for no limit or a positive rate.", v.value))
		}
		s.http.RequestsPerSecond = f
	}

	// pipe.solar.
	s.pipeToken = r.str(path.Root("api_token"), envAPIToken, cfg.APIToken)
	s.pipeURL = r.str(path.Root("base_url"), envBaseURL, cfg.BaseURL)
	if s.pipeURL.set {
		r.checkURL(s.pipeURL)
		if err := validate.CheckNotRetiredAPI(s.pipeURL.value, retiredAPIAdvice); err != nil {
			r.fail(s.pipeURL, "Retired pipe.solar API", err.Error())
		}
	} else {
		s.pipeURL.value = pipesolar.DefaultBaseURL
	}
	if v := r.bool(path.Root("batch_refresh"), envBatchRefresh, cfg.BatchRefresh); v.set {
		s.batchRefresh, _ = strconv.ParseBool(v.value)
	}
	switch {
	case !s.pipeToken.set:
		s.pipeProblem = &problem{
			summary: "Missing pipe.solar API key",
			detail: "This resource calls Pipe API v1, which needs a company key. Set api_token in the provider " +
				"\"pipesolar\" block, or the environment variable " + envAPIToken + ", to the key (psk_ followed by 40 " +
				"hexadecimal characters) made by an owner or admin in pipe.solar under Settings → API Keys.",
		}
	case !pipeKeyForm.MatchString(s.pipeToken.value):
		r.diags.Append(pipeKeyWarning(s.pipeToken))
	}
	// UPowr.
	s.upowr, s.upowrProblem = r.upowr(ctx, cfg.UPowr)
	s.upowr.HTTP = s.http

	s.unknown = r.unkn
	return s, r.diags
}

// typed resolves a number or bool argument: the configuration's value
// (text formats it), or else its environment variable's, which parse must
// accept (want says what it must be).
func (r *resolver) typed(p path.Path, env string, v attr.Value, text func() string, parse func(string) error, want string) setting {
	s := setting{path: p, env: env}
	switch {
	case v.IsUnknown():
		r.unkn = append(r.unkn, p.String())
	case !v.IsNull():
		s.value, s.set = text(), true
	default:
		s = r.str(p, env, types.StringNull())
		if s.set && parse(s.value) != nil {
			r.fail(s, "Invalid "+p.String(), fmt.Sprintf("%q is not %s.", s.value, want))
			s.set = false
		}
	}
	return s
}

func (r *resolver) int(p path.Path, env string, v types.Int64) setting {
	return r.typed(p, env, v, func() string { return strconv.FormatInt(v.ValueInt64(), 10) },
		func(s string) error { _, err := strconv.Atoi(s); return err }, "a whole number")
}

func (r *resolver) bool(p path.Path, env string, v types.Bool) setting {
	return r.typed(p, env, v, func() string { return strconv.FormatBool(v.ValueBool()) },
		func(s string) error { _, err := strconv.ParseBool(s); return err }, "true or false")
}

func (r *resolver) float(p path.Path, env string, v types.Float64) setting {
	return r.typed(p, env, v, func() string { return strconv.FormatFloat(v.ValueFloat64(), 'f', -1, 64) },
		func(s string) error { _, err := strconv.ParseFloat(s, 64); return err }, "a number")
}

func (r *resolver) checkURL(s setting) {
	if err := validate.CheckBaseURL(s.value); err != nil {
		r.fail(s, "Invalid "+s.path.String(), err.Error()+".")
	}
}

// upowr resolves the upowr object and chooses the authentication method.
//
// The configuration decides the method when it names one: access_token,
// client_secret or private_key in the configuration wins over environment
// variables of another method, and the environment may only complete the
// chosen method (client_id, key_id, the secret or key itself). With no
// authentication attribute in the configuration, the environment variables
// must describe exactly one method.
func (r *resolver) upowr(ctx context.Context, obj types.Object) (upowr.Config, *problem) {
	var m upowrModel
	switch {
	case obj.IsUnknown():
		r.unkn = append(r.unkn, "upowr")
		return upowr.Config{}, nil
	case obj.IsNull():
		m = upowrModel{
			BaseURL: types.StringNull(), AccessToken: types.StringNull(), ClientID: types.StringNull(),
			ClientSecret: types.StringNull(), PrivateKey: types.StringNull(), KeyID: types.StringNull(),
			Audience: types.StringNull(), TokenURL: types.StringNull(),
		}
	default:
		r.diags.Append(obj.As(ctx, &m, basetypes.ObjectAsOptions{})...)
		if r.diags.HasError() {
			return upowr.Config{}, nil
		}
	}
	at := func(name string) path.Path { return path.Root("upowr").AtName(name) }
	baseURL := r.str(at("base_url"), envUPowrBaseURL, m.BaseURL)
	tokenURL := r.str(at("token_url"), envUPowrTokenURL, m.TokenURL)
	audience := r.str(at("audience"), envUPowrAudience, m.Audience)
	token := r.str(at("access_token"), envUPowrAccessToken, m.AccessToken)
	id := r.str(at("client_id"), envUPowrClientID, m.ClientID)
	secret := r.str(at("client_secret"), envUPowrClientSecret, m.ClientSecret)
	key := r.str(at("private_key"), envUPowrPrivateKey, m.PrivateKey)
	kid := r.str(at("key_id"), envUPowrKeyID, m.KeyID)
	for _, u := range []setting{baseURL, tokenURL} {
		if u.set {
			r.checkURL(u)
		}
	}

	cfg := upowr.Config{BaseURL: baseURL.value, TokenURL: tokenURL.value, Audience: audience.value}
	if cfg.BaseURL == "" {
		cfg.BaseURL = upowr.DefaultBaseURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = upowr.DefaultTokenURL
	}

	inConfig := func(s setting) bool { return s.set && !s.fromEnv }
	// The configuration's choice drops other methods' environment values.
	switch {
	case inConfig(token):
		id, secret, key, kid = setting{}, setting{}, setting{}, setting{}
	case inConfig(secret):
		token, key, kid = setting{}, setting{}, setting{}
	case inConfig(key) || inConfig(kid):
		token, secret = setting{}, setting{}
	case inConfig(id):
		token = setting{}
	}

	// report turns a fault into an error now (when the configuration holds
	// it) or a problem for the first UPowr resource (environment only).
	report := func(culprit setting, summary, detail string) (upowr.Config, *problem) {
		if culprit.set && !culprit.fromEnv {
			r.diags.AddAttributeError(culprit.path, summary, detail)
			return cfg, nil
		}
		return cfg, &problem{summary: summary, detail: detail}
	}

	const ways = "Authenticate to UPowr with exactly one of: upowr.access_token (UPOWR_ACCESS_TOKEN); " +
		"upowr.client_id + upowr.client_secret (UPOWR_CLIENT_ID + UPOWR_CLIENT_SECRET); or upowr.client_id + " +
		"upowr.private_key + upowr.key_id (UPOWR_CLIENT_ID + UPOWR_PRIVATE_KEY + UPOWR_KEY_ID)."
	switch {
	case token.set && (id.set || secret.set || key.set):
		other := id
		if !other.set {
			other = secret
		}
		if !other.set {
			other = key
		}
		return report(other, "Conflicting UPowr credentials",
			fmt.Sprintf("Both %s and %s are set. %s", token.name(), other.name(), ways))
	case secret.set && key.set:
		return report(key, "Conflicting UPowr credentials",
			fmt.Sprintf("Both %s and %s are set. %s", secret.name(), key.name(), ways))
	case token.set:
		cfg.AccessToken = token.value
		return cfg, nil
	case (secret.set || key.set) && !id.set:
		culprit := secret
		if key.set {
			culprit = key
		}
		return report(culprit, "Incomplete UPowr credentials",
			fmt.Sprintf("%s is set but the client id is missing: set %s. %s", culprit.name(), id.both(), ways))
	case id.set && !secret.set && !key.set:
		return report(id, "Incomplete UPowr credentials",
			fmt.Sprintf("%s is set but neither a client secret nor a private key: set %s or %s with %s. %s",
				id.name(), secret.both(), key.both(), kid.both(), ways))
	case secret.set:
		cfg.ClientID, cfg.ClientSecret = id.value, secret.value
		return cfg, nil
	case key.set:
		if !kid.set {
			return report(key, "Incomplete UPowr credentials",
				fmt.Sprintf("%s is set but the key id is missing: set %s to the key's id as registered with UPowr (sent as the JWT `kid` header).",
					key.name(), kid.both()))
		}
		if _, err := upowr.ParsePrivateKey(key.value); err != nil {
			return report(key, "Invalid UPowr private key", fmt.Sprintf("%s: %v.", key.name(), err))
		}
		cfg.ClientID, cfg.PrivateKeyPEM, cfg.KeyID = id.value, key.value, kid.value
		return cfg, nil
	case kid.set:
		return report(kid, "Incomplete UPowr credentials",
			fmt.Sprintf("%s is set without a private key: set %s, or remove the key id.", kid.name(), key.both()))
	}
	return cfg, &problem{summary: "Missing UPowr credentials", detail: "This resource calls the UPowr API, which needs credentials. " + ways}
}

// pipeKeyForm is the form of a Pipe API v1 key.
var pipeKeyForm = regexp.MustCompile(`^psk_[0-9a-fA-F]{40}$`)

// pipeKeyWarning says that the key s does not look like a v1 key, without
// showing it.
func pipeKeyWarning(s setting) diag.Diagnostic {
	summary := "pipe.solar API key does not look like a Pipe API v1 key"
	detail := fmt.Sprintf("The value of %s is not psk_ followed by 40 hexadecimal characters, the form of a Pipe API v1 "+
		"company key. Keys of the retired API (https://pipe.solar/api/1.1/...) do not work with v1: every call would "+
		"answer 401. Make a key in pipe.solar under Settings → API Keys (an owner or admin can) and set it in %s.",
		s.name(), s.both())
	if s.fromEnv {
		return diag.NewWarningDiagnostic(summary, detail)
	}
	return diag.NewAttributeWarningDiagnostic(s.path, summary, detail)
}
