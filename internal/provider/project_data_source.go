package provider

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
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
	attrs := projectDataAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Project id, as shown in the pipe.solar app (for example `D4YR1VSK7K`).",
		Required:            true,
		Validators:          []validator.String{validate.NotBlank()},
	}
	attrs["org_id"] = schema.StringAttribute{
		MarkdownDescription: "Org of the project. Optional: with the provider's `batch_refresh`, the project is read " +
			"from the org's listing (shared with every other read of that org) instead of one `fetch_project` call.",
		Optional:   true,
		Validators: []validator.String{validate.NotBlank()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one pipe.solar project by id (`fetch_project`). Numbers the API returns as formatted " +
			"text (`\"18,450.01\"`) are numbers here; dates are ISO 8601 (`YYYY-MM-DD`); emails are lower-cased; " +
			"values the API leaves empty are null. An id pipe.solar does not know is an error (whether the API says so " +
			"with HTTP 404, an empty `data`, or HTTP 400 \"not found\").",
		Attributes: attrs,
	}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var id, org types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("org_id"), &org)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := client.GetProjectInOrg(ctx, org.ValueString(), id.ValueString())
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Project not found",
				fmt.Sprintf("pipe.solar has no project with id %q (GET %s answered: %v). Check the id in the pipe.solar app.",
					id.ValueString(), pipesolar.EndpointFetchProject, err))
			return
		}
		resp.Diagnostics.AddError("Could not read pipe.solar project", apiErrorDetail(err, id.ValueString()))
		return
	}
	vals := projectAPIValues(p)
	vals["id"] = id // the id as configured, whatever form the API echoes
	vals["org_id"] = org
	obj, diags := types.ObjectValue(projectDataSourceType().AttrTypes, vals)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
}

// projectDataSourceType is data pipesolar_project's type: a project as the
// data sources show it, plus org_id.
var projectDataSourceType = sync.OnceValue(func() types.ObjectType {
	t := maps.Clone(projectObjectType().AttrTypes)
	t["org_id"] = types.StringType
	return types.ObjectType{AttrTypes: t}
})

// apiErrorDetail explains an API failure for project id and what to do about
// it.
func apiErrorDetail(err error, id string) string {
	return fmt.Sprintf("Project %q: %v%s", id, err, apiErrorAdvice(err))
}

// apiErrorAdvice is a paragraph telling the user what to do about err, or "".
func apiErrorAdvice(err error) string {
	switch transport.KindOf(err) {
	case transport.KindUnauthorized:
		return "\n\nThe API token was refused: check `api_token` / PIPESOLAR_API_TOKEN."
	case transport.KindForbidden:
		return "\n\nThe API token was accepted but may not access this: check its permissions in pipe.solar."
	case transport.KindServer:
		return "\n\nThe service is failing or overloaded; retries were exhausted. Try again later, or raise max_retries."
	case transport.KindRateLimited:
		return "\n\npipe.solar's call budget stayed exhausted for longer than the request could wait. Set requests_per_second " +
			"(PIPESOLAR_REQUESTS_PER_SECOND) below the app's limit, or give the resource longer timeouts; see the reliability guide."
	}
	return ""
}
