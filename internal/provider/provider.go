// Package provider implements the pipesolar Terraform provider: its
// configuration, resources and data sources.
package provider

import (
	"context"
	"os"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ provider.Provider                  = &pipesolarProvider{}
	_ provider.ProviderWithListResources = &pipesolarProvider{}
	_ provider.ProviderWithActions       = &pipesolarProvider{}
)

// pipesolarProvider is the provider implementation.
type pipesolarProvider struct {
	version string
	// lookupEnv reads environment variables; tests replace it.
	lookupEnv func(string) (string, bool)
	// configured is what the last Configure made, for the protocol
	// server's shortcuts (provider_server.go); nil before.
	configured atomic.Pointer[providerData]
}

// New returns a constructor of the provider for providerserver.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &pipesolarProvider{version: version, lookupEnv: os.LookupEnv} }
}

// providerModel is the provider block.
type providerModel struct {
	APIToken          types.String  `tfsdk:"api_token"`
	BaseURL           types.String  `tfsdk:"base_url"`
	UPowr             types.Object  `tfsdk:"upowr"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	BatchRefresh      types.Bool    `tfsdk:"batch_refresh"`
}

// upowrModel is the provider block's upowr object.
type upowrModel struct {
	BaseURL      types.String `tfsdk:"base_url"`
	AccessToken  types.String `tfsdk:"access_token"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
	PrivateKey   types.String `tfsdk:"private_key"`
	KeyID        types.String `tfsdk:"key_id"`
	Audience     types.String `tfsdk:"audience"`
	TokenURL     types.String `tfsdk:"token_url"`
}

func (p *pipesolarProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "pipesolar"
	resp.Version = p.version
}

func (p *pipesolarProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	upowrPath := path.MatchRelative().AtParent()
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage solar sales pipelines as code: leads, projects, stages and files in " +
			"[pipe.solar](https://pipe.solar) through Pipe API v1, and projects, charges and files in UPowr.\n\n" +
			"Every argument is optional and falls back to an environment variable; a value in the configuration wins. " +
			"A configuration that uses only pipe.solar resources needs no UPowr credentials and the reverse: a missing " +
			"credential is reported by the first resource that needs it.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "Pipe API v1 company key (`psk_` followed by 40 hexadecimal characters), made by an owner " +
					"or admin in pipe.solar under Settings → API Keys and sent as a bearer token. Environment variable: " +
					"`PIPESOLAR_API_TOKEN`. Needed by every pipe.solar resource and data source (not by the UPowr ones). " +
					"A value of another form gets a warning: keys of the retired API do not work with v1. Use the " +
					"installer company's key to move stages and add files: a dealer's key only reads projects and leads.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Pipe API v1 base URL. Environment variable: `PIPESOLAR_BASE_URL`. Default: `" +
					pipesolar.DefaultBaseURL + "`. The sandbox is `" + pipesolar.SandboxBaseURL + "` (with a sandbox " +
					"key). Must be `https://`; plain `http://` is accepted only for a loopback host (`localhost`, " +
					"`127.0.0.1`, `::1`), such as the bundled mock API. A URL whose path holds `/api/1.1/` (the old " +
					"API, retired on 2026-10-11) is refused: calls to it on other host names may answer success while " +
					"what they write is lost.",
				Optional:   true,
				Validators: []validator.String{validate.BaseURL(), validate.NotRetiredAPI(retiredAPIAdvice)},
			},
			"upowr": schema.SingleNestedAttribute{
				MarkdownDescription: "UPowr API settings. Authenticate with exactly one of: `access_token`; `client_id` + " +
					"`client_secret` (OAuth 2.0 client credentials); or `client_id` + `private_key` + `key_id` (client " +
					"credentials with an RFC 7523 JWT assertion signed RS256). Each attribute falls back to its environment variable.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"base_url": schema.StringAttribute{
						MarkdownDescription: "UPowr API base URL. Environment variable: `UPOWR_BASE_URL`. Default: " +
							"`https://api.core.upowr.cloud`. `https://`, or `http://` to a loopback host only.",
						Optional:   true,
						Validators: []validator.String{validate.BaseURL()},
					},
					"access_token": schema.StringAttribute{
						MarkdownDescription: "A ready access token, used as is (no token endpoint call). Environment variable: `UPOWR_ACCESS_TOKEN`.",
						Optional:            true,
						Sensitive:           true,
						Validators: []validator.String{
							stringvalidator.LengthAtLeast(1),
							stringvalidator.ConflictsWith(upowrPath.AtName("client_id"), upowrPath.AtName("client_secret"),
								upowrPath.AtName("private_key"), upowrPath.AtName("key_id")),
						},
					},
					"client_id": schema.StringAttribute{
						MarkdownDescription: "OAuth 2.0 client id. Environment variable: `UPOWR_CLIENT_ID`.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"client_secret": schema.StringAttribute{
						MarkdownDescription: "OAuth 2.0 client secret, for the client credentials grant. Environment variable: `UPOWR_CLIENT_SECRET`.",
						Optional:            true,
						Sensitive:           true,
						Validators: []validator.String{
							stringvalidator.LengthAtLeast(1),
							stringvalidator.ConflictsWith(upowrPath.AtName("private_key")),
						},
					},
					"private_key": schema.StringAttribute{
						MarkdownDescription: "PEM-encoded RSA private key (PKCS #1 or PKCS #8) that signs the client assertion " +
							"instead of a client secret. Environment variable: `UPOWR_PRIVATE_KEY`.",
						Optional:   true,
						Sensitive:  true,
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"key_id": schema.StringAttribute{
						MarkdownDescription: "Key id (`kid` header) of `private_key` as registered with UPowr. Environment variable: `UPOWR_KEY_ID`.",
						Optional:            true,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"audience": schema.StringAttribute{
						MarkdownDescription: "`audience` sent to the token endpoint. Environment variable: `UPOWR_AUDIENCE`.",
						Optional:            true,
					},
					"token_url": schema.StringAttribute{
						MarkdownDescription: "OAuth 2.0 token endpoint. Environment variable: `UPOWR_TOKEN_URL`. Default: " +
							"`https://id.core.upowr.cloud/oauth/token`. `https://`, or `http://` to a loopback host only.",
						Optional:   true,
						Validators: []validator.String{validate.BaseURL()},
					},
				},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How often a request is retried after the first attempt (0–10). Environment variable: " +
					"`PIPESOLAR_MAX_RETRIES`. Default: `4`. pipe.solar calls are retried on HTTP 500, 502, 503 and 504, " +
					"dropped connections and timeouts (every Pipe API v1 write is safe to repeat); HTTP 429 waits for " +
					"`Retry-After` and does not use up retries; 400, 401, 403, 404 and 410 are never retried. UPowr " +
					"creates that cannot be reconciled are not retried once the request may have reached the server.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit for one HTTP attempt, as a duration such as `30s` or `2m`. Environment " +
					"variable: `PIPESOLAR_REQUEST_TIMEOUT`. Default: `30s`.",
				Optional:   true,
				Validators: []validator.String{validate.Duration()},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Client-side limit on requests per second to each API. Environment variable: " +
					"`PIPESOLAR_REQUESTS_PER_SECOND`. Default: `0`, which paces pipe.solar calls by the API's own limit " +
					"(100 calls a minute per key, shared by every process using the key) and by its answers (a 429's " +
					"`Retry-After` holds back every request of the provider). Set a lower rate to leave room for other " +
					"users of the same key.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"batch_refresh": schema.BoolAttribute{
				MarkdownDescription: "Refresh `pipesolar_project` from one listing of the company (`GET /projects`, 100 " +
					"projects a call) per provider run instead of one `GET /projects/{id}` each: a project whose " +
					"`updated_at` is unchanged keeps its state with no call; a changed or missing one is read on its own. " +
					"For large companies and nightly drift checks: v1 allows 100 calls a minute per key. Environment " +
					"variable: `PIPESOLAR_BATCH_REFRESH`. Default: `false`. Plans are the same either way.",
				Optional: true,
			},
		},
	}
}

func (p *pipesolarProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, diags := resolveSettings(ctx, cfg, p.lookupEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := newProviderData(s, p.version, req.TerraformVersion)
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
	p.configured.Store(data)
}

func (p *pipesolarProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewProjectResource,
		NewProjectStageResource,
		NewLeadResource,
		NewActivityResource,
		NewProjectFileResource,
		NewUPowrProjectResource,
		NewUPowrChargeResource,
		NewUPowrFileResource,
	}
}

func (p *pipesolarProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewProjectDataSource,
		NewProjectsDataSource,
		NewLeadDataSource,
		NewLeadsDataSource,
		NewLeadActivitiesDataSource,
		NewStagesDataSource,
		NewAddersDataSource,
		NewEquipmentDataSource,
		NewCompanyDataSource,
	}
}

func (p *pipesolarProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewProjectListResource, NewLeadListResource}
}

func (p *pipesolarProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{NewLeadNoteAction}
}
