package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &companyDataSource{}

// NewCompanyDataSource returns the pipesolar_company data source.
func NewCompanyDataSource() datasource.DataSource {
	return &companyDataSource{dataSourceBase{name: "company"}}
}

type companyDataSource struct{ dataSourceBase }

type companyDataModel struct {
	Name      types.String `tfsdk:"name"`
	KeyName   types.String `tfsdk:"key_name"`
	KeyPrefix types.String `tfsdk:"key_prefix"`
}

func (d *companyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The company the provider's API key belongs to, and the key (`GET /me`): a check that " +
			"`api_token` is the key you mean.",
		Attributes: map[string]schema.Attribute{
			"name":       schema.StringAttribute{MarkdownDescription: "The company's name.", Computed: true},
			"key_name":   schema.StringAttribute{MarkdownDescription: "The key's name, as given in Settings → API Keys.", Computed: true},
			"key_prefix": schema.StringAttribute{MarkdownDescription: "The key's first characters, as the app shows them (never the whole key).", Computed: true},
		},
	}
}

func (d *companyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	me, err := client.Me(ctx)
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not read the pipe.solar company of the API key", err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, companyDataModel{Name: types.StringValue(me.Company.Name),
		KeyName: types.StringValue(me.Key.Name), KeyPrefix: types.StringValue(me.Key.Prefix)})...)
}
