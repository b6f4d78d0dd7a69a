package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var _ datasource.DataSourceWithConfigure = &leadsDataSource{}

// NewLeadsDataSource returns the pipesolar_leads data source.
func NewLeadsDataSource() datasource.DataSource {
	return &leadsDataSource{dataSourceBase{name: "leads"}}
}

type leadsDataSource struct{ dataSourceBase }

// leadFilterAttributes are the filter of data pipesolar_leads and list
// pipesolar_lead (projectFilterModel: GET /leads takes GET /projects'
// productLine and updatedSince), each built by newAttr.
func leadFilterAttributes[A any](newAttr func(description string, v ...validator.String) A) map[string]A {
	return map[string]A{
		"product_line": newAttr("Only leads of this product line: `solar` or `hi` (Home Improvement). Default: both.",
			stringvalidator.OneOf("solar", "hi")),
		"updated_since": newAttr("Only leads changed after this time (RFC 3339, for example `2026-11-01T00:00:00Z`).",
			validate.RFC3339()),
	}
}

// describeLeadFilter names the filter m for an error message.
func describeLeadFilter(m projectFilterModel) string {
	s := "every lead of the company"
	if pl := m.ProductLine.ValueString(); pl != "" {
		s += fmt.Sprintf(" with product_line %q", pl)
	}
	if since := m.UpdatedSince.ValueString(); since != "" {
		s += fmt.Sprintf(" changed since %s", since)
	}
	return s
}

func (d *leadsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := leadFilterAttributes(func(description string, v ...validator.String) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: v}
	})
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
			fmt.Errorf("listing %s: %w", describeLeadFilter(model.projectFilterModel), err)))
		return
	}
	objs := make([]attr.Value, 0, len(leads))
	ids := make([]attr.Value, 0, len(leads))
	for i := range leads {
		obj, err := leadObject(&leads[i])
		if err != nil {
			resp.Diagnostics.AddError("Could not decode a pipe.solar lead", err.Error())
			return
		}
		objs = append(objs, obj)
		ids = append(ids, types.StringValue(leads[i].ID))
	}
	model.Leads, diags = types.ListValue(leadObjectType(), objs)
	resp.Diagnostics.Append(diags...)
	model.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}
