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
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ provider.Provider                  = &pipesolarProvider{}
	_ provider.ProviderWithListResources = &pipesolarProvider{}
)

// typeSet says which resource, data source and list resource types a
// pipesolarProvider serves: all of them (New), or its share of the mux
// (NewProtocol6Server).
type typeSet uint8

const (
	projectTypes  typeSet = 1 << iota // resource and list resource pipesolar_project (projectServer)
	projectsTypes                     // data pipesolar_projects (projectsServer)
	otherTypes                        // every other resource and data source
	allTypes      = projectTypes | projectsTypes | otherTypes
)

// pipesolarProvider is the provider implementation.
type pipesolarProvider struct {
	version string
	types   typeSet
	// shared, when set, is the provider whose configuration this one uses
	// (the mux configures it first): one set of clients, connections and
	// rate limits for the whole process.
	shared *pipesolarProvider
	// lookupEnv reads environment variables; tests replace it.
	lookupEnv func(string) (string, bool)
	// data is what Configure made, for projectsServer and the providers sharing it.
	data atomic.Pointer[providerData]
}

// New returns a constructor of the provider for providerserver: every type,
// served by the framework alone. The provider binary serves
// NewProtocol6Server, which answers data pipesolar_projects faster.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return newProvider(version, allTypes, nil) }
}

func newProvider(version string, types typeSet, shared *pipesolarProvider) *pipesolarProvider {
	return &pipesolarProvider{version: version, types: types, shared: shared, lookupEnv: os.LookupEnv}
}

// configured returns what Configure made, or nil before it has run.
func (p *pipesolarProvider) configured() *providerData { return p.data.Load() }

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
		MarkdownDescription: "Manage solar sales pipelines as code: projects, stages, activity notes and files in " +
			"[pipe.solar](https://pipe.solar), and projects, charges and files in UPowr.\n\n" +
			"Every argument is optional and falls back to an environment variable; a value in the configuration wins. " +
			"A configuration that uses only pipe.solar resources needs no UPowr credentials and the reverse: a missing " +
			"credential is reported by the first resource that needs it.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "pipe.solar API token, sent as a bearer token. Environment variable: `PIPESOLAR_API_TOKEN`. " +
					"Needed by every `pipesolar_project*`, `pipesolar_activity` resource and data source.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "pipe.solar API base URL. Environment variable: `PIPESOLAR_BASE_URL`. Default: " +
					"`https://pipe.solar/api/1.1/wf`. Must be `https://`; plain `http://` is accepted only for a loopback " +
					"host (`localhost`, `127.0.0.1`, `::1`), such as the bundled mock API.",
				Optional:   true,
				Validators: []validator.String{validate.BaseURL()},
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
					"`PIPESOLAR_MAX_RETRIES`. Default: `4`. Every request is retried on HTTP 429 and 503 (honouring `Retry-After`) " +
					"and when it never reached the server; only requests that are safe to repeat are retried on 500, 502, 504, " +
					"dropped connections and timeouts. See the reliability guide.",
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
				MarkdownDescription: "Client-side limit on requests per second to each API; `0` means no limit. " +
					"Environment variable: `PIPESOLAR_REQUESTS_PER_SECOND`. Default: `0`.",
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0)},
			},
			"batch_refresh": schema.BoolAttribute{
				MarkdownDescription: "Read projects from their org's listing (`fetch_all_project`, 50 projects a call), one " +
					"listing per org and provider run, instead of one `fetch_project` call each; for large orgs and nightly " +
					"drift checks. Environment variable: `PIPESOLAR_BATCH_REFRESH`. Default: `false`. Applies to " +
					"`pipesolar_project` and, when their `org_id` is set, `pipesolar_project_stage` and data " +
					"`pipesolar_project`. Plans are the same either way; see \"Refreshing a large org\" above.",
				Optional: true,
			},
		},
	}
}

func (p *pipesolarProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	if p.shared != nil {
		if data := p.shared.configured(); data != nil {
			p.share(data, resp)
			return
		}
	}
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
	p.share(newProviderData(s, p.version, req.TerraformVersion), resp)
}

// share hands data to the resources, data sources and list resources.
func (p *pipesolarProvider) share(data *providerData, resp *provider.ConfigureResponse) {
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	p.data.Store(data)
}

func (p *pipesolarProvider) Resources(_ context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	if p.types&projectTypes != 0 {
		out = append(out, NewProjectResource)
	}
	if p.types&otherTypes == 0 {
		return out
	}
	return append(out,
		NewProjectStageResource,
		NewActivityResource,
		NewProjectFileResource,
		NewUPowrProjectResource,
		NewUPowrChargeResource,
		NewUPowrFileResource,
	)
}

func (p *pipesolarProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	if p.types&otherTypes != 0 {
		out = append(out, NewProjectDataSource)
	}
	if p.types&projectsTypes != 0 {
		out = append(out, NewProjectsDataSource)
	}
	return out
}

func (p *pipesolarProvider) ListResources(_ context.Context) []func() list.ListResource {
	if p.types&projectTypes == 0 {
		return nil
	}
	return []func() list.ListResource{NewProjectListResource}
}
