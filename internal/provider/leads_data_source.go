package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

var _ datasource.DataSourceWithConfigure = &leadsDataSource{}

// NewLeadsDataSource returns the pipesolar_leads data source.
func NewLeadsDataSource() datasource.DataSource {
	return &leadsDataSource{dataSourceBase{name: "leads"}}
}

type leadsDataSource struct{ dataSourceBase }

func (d *leadsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := filterAttributes("leads", dataSourceFilterAttribute)
	attrs["leads"] = schema.ListNestedAttribute{
		MarkdownDescription: "The leads, newest change first: each the full lead, with the attributes (names and " +
			"meaning) of the `pipesolar_lead` data source.",
		Computed:     true,
		NestedObject: schema.NestedAttributeObject{Attributes: dataSourceAttributes(leadFields, nil)},
	}
	attrs["ids"] = schema.ListAttribute{
		MarkdownDescription: "Pipe's ids of the leads, in the same order.",
		Computed:            true,
		ElementType:         types.StringType,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the company's pipe.solar leads (`GET /leads`, every page; the API key names the company).",
		Attributes:          attrs,
	}
}

// leadsDataModel is the data source's configuration and state.
type leadsDataModel struct {
	projectFilterModel
	Leads types.List `tfsdk:"leads"`
	IDs   types.List `tfsdk:"ids"`
}

func (d *leadsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var model leadsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	leads, err := client.ListLeads(ctx, model.listFilter(0))
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not list pipe.solar leads",
			fmt.Errorf("listing %s: %w", model.describe("lead"), err)))
		return
	}
	model.Leads, model.IDs, diags = recordsAndIDs(leads, leadObjectType(), "lead", leadValues,
		func(l *pipesolar.Lead) string { return l.ID })
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
