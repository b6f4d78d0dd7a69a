package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var _ datasource.DataSourceWithConfigure = &leadDataSource{}

// NewLeadDataSource returns the pipesolar_lead data source.
func NewLeadDataSource() datasource.DataSource {
	return &leadDataSource{dataSourceBase{name: "lead"}}
}

type leadDataSource struct{ dataSourceBase }

func (d *leadDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceAttributes(leadFields, nil)
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The lead: Pipe's id or the old 10-character reference. Kept as written; `lead_id` is " +
			"Pipe's id.",
		Required:   true,
		Validators: []validator.String{validate.NotBlank()},
	}
	attrs["lead_id"] = schema.StringAttribute{
		MarkdownDescription: "Pipe's id of the lead (the canonical id, whichever form `id` has).",
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one pipe.solar lead (`GET /leads/{id}`): every field of the full lead, its " +
			"proposal included, with v1's names in snake_case (`customer.first_name`, `proposal.price.net`). An id " +
			"pipe.solar does not know (HTTP 404) is an error.",
		Attributes: attrs,
	}
}

func (d *leadDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	l, err := client.GetLead(ctx, id.ValueString())
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Lead not found",
				fmt.Sprintf("pipe.solar has no lead %q that this API key can see (GET /leads/{id} answered 404). "+
					"Check the id in the pipe.solar app, and that the key belongs to the lead's company.", id.ValueString()))
			return
		}
		resp.Diagnostics.Append(pipeAttrErrorDiag(path.Root("id"), "Could not read pipe.solar lead", err))
		return
	}
	obj, err := leadObject(l)
	if err != nil {
		resp.Diagnostics.AddError("Could not decode the pipe.solar lead", err.Error())
		return
	}
	vals := obj.Attributes()
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("lead_id"), vals["id"])...)
	for name, v := range vals {
		if name != "id" {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
