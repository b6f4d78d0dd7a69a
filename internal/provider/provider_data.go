package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/upowr"
)

// providerData is what Configure hands to resources and data sources: a
// client per API, or the reason there is none. A missing credential is
// reported only by a resource that needs that API.
type providerData struct {
	pipe        *pipesolar.Client
	pipeProblem *problem
	// batchRefresh is the provider's batch_refresh: serve project reads
	// from the company's listing.
	batchRefresh bool
	upowr        *upowr.Client
	upowrProblem *problem
}

func newProviderData(s settings, version, terraformVersion string) *providerData {
	d := &providerData{pipeProblem: s.pipeProblem, upowrProblem: s.upowrProblem, batchRefresh: s.batchRefresh}
	if len(s.unknown) > 0 {
		p := &problem{
			summary: "Provider configuration is not known yet",
			detail: fmt.Sprintf("The provider \"pipesolar\" arguments %s depend on values that are known only during apply, "+
				"so the provider cannot call the API yet. Use values known at plan time (variables, locals, "+
				"environment variables), or apply the resources they depend on first (terraform apply -target=...).",
				strings.Join(s.unknown, ", ")),
		}
		d.pipeProblem, d.upowrProblem = p, p
		return d
	}

	http := s.http
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	http.UserAgent = fmt.Sprintf("terraform-provider-pipesolar/%s Terraform/%s", version, terraformVersion)

	if d.pipeProblem == nil {
		c, err := pipesolar.New(pipesolar.Config{BaseURL: s.pipeURL.value, Token: s.pipeToken.value, HTTP: http})
		if err != nil {
			d.pipeProblem = &problem{summary: "Invalid pipe.solar configuration", detail: err.Error()}
		}
		d.pipe = c
	}
	if d.upowrProblem == nil {
		cfg := s.upowr
		cfg.HTTP = http
		c, err := upowr.New(cfg)
		if err != nil {
			d.upowrProblem = &problem{summary: "Invalid UPowr configuration", detail: err.Error()}
		}
		d.upowr = c
	}
	return d
}

// PipeSolar returns the pipe.solar client, or an error diagnostic that says
// which argument or environment variable to set.
func (d *providerData) PipeSolar() (*pipesolar.Client, diag.Diagnostics) {
	if d == nil {
		return nil, notConfigured()
	}
	return clientOr(d.pipe, d.pipeProblem)
}

// BatchRefresh reports the provider's batch_refresh setting.
func (d *providerData) BatchRefresh() bool { return d != nil && d.batchRefresh }

// UPowr returns the UPowr client, or an error diagnostic that says which
// arguments or environment variables to set.
func (d *providerData) UPowr() (*upowr.Client, diag.Diagnostics) {
	if d == nil {
		return nil, notConfigured()
	}
	return clientOr(d.upowr, d.upowrProblem)
}

// valueSource is a plan, a state or a configuration: what a model is read
// from.
type valueSource interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

// start begins a resource method: the client (data.PipeSolar or
// data.UPowr) and the model read from a plan or state. ok is false when
// either failed, and diags say why.
func start[C any](ctx context.Context, client func() (C, diag.Diagnostics), from valueSource, model any,
	diags *diag.Diagnostics) (c C, ok bool) {
	c, d := client()
	diags.Append(d...)
	diags.Append(from.Get(ctx, model)...)
	return c, !diags.HasError()
}

// clientOr returns client, or no client and p as an error when there is a
// problem.
func clientOr[C any](client *C, p *problem) (*C, diag.Diagnostics) {
	if p != nil {
		return nil, diag.Diagnostics{diag.NewErrorDiagnostic(p.summary, p.detail)}
	}
	return client, nil
}

func notConfigured() diag.Diagnostics {
	return diag.Diagnostics{diag.NewErrorDiagnostic("Provider not configured",
		"The pipesolar provider was not configured before this resource was used. This is a bug in the provider; please report it.")}
}

// providerDataFrom converts the value Configure stored, for resources'
// Configure methods; a value of another type is an error in diags. A nil
// value (the framework calls Configure before the provider is configured)
// is not an error.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	d, ok := v.(*providerData)
	if !ok && v != nil {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
	}
	return d
}

// resourceBase is embedded by every resource and list resource (their
// Metadata and Configure methods have the same signatures): the type name
// after the provider's ("project_stage" is pipesolar_project_stage), and
// what the provider's Configure made.
type resourceBase struct {
	name string
	data *providerData
}

func (b *resourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// dataSourceBase is resourceBase for data sources.
type dataSourceBase resourceBase

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.name
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}
