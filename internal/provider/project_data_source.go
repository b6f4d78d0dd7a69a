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

var _ datasource.DataSourceWithConfigure = &projectDataSource{}

// NewProjectDataSource returns the pipesolar_project data source.
func NewProjectDataSource() datasource.DataSource {
	return &projectDataSource{dataSourceBase{name: "project"}}
}

type projectDataSource struct{ dataSourceBase }

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceAttributes(projectFields, nil)
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The project: any id v1 accepts (Pipe's id, the old 10-character reference, or the id of " +
			"the lead it was sold from). Kept as written; `project_id` is Pipe's id.",
		Required:   true,
		Validators: []validator.String{validate.NotBlank()},
	}
	attrs["project_id"] = schema.StringAttribute{
		MarkdownDescription: "Pipe's id of the project (the canonical id, whichever form `id` has).",
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one pipe.solar project (`GET /projects/{id}`): every attribute the " +
			"`pipesolar_project` resource has, with the same names and meaning, both `stage` and `stage_id`. An id " +
			"pipe.solar does not know (HTTP 404) is an error.",
		Attributes: attrs,
	}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := client.GetProject(ctx, id.ValueString())
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Project not found",
				fmt.Sprintf("pipe.solar has no project %q that this API key can see (GET /projects/{id} answered 404). "+
					"Check the id in the pipe.solar app, and that the key belongs to the project's company.", id.ValueString()))
			return
		}
		resp.Diagnostics.Append(pipeAttrErrorDiag(path.Root("id"), "Could not read pipe.solar project", err))
		return
	}
	vals, err := projectValues(p, nil)
	if err != nil {
		resp.Diagnostics.AddError("Could not decode the pipe.solar project", err.Error())
		return
	}
	vals["project_id"] = vals["id"]
	vals["id"] = id // as configured, whatever form the API answers with
	for name, v := range vals {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}
