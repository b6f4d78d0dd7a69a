package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var _ datasource.DataSourceWithConfigure = &projectsDataSource{}

// NewProjectsDataSource returns the pipesolar_projects data source.
func NewProjectsDataSource() datasource.DataSource {
	return &projectsDataSource{dataSourceBase{name: "projects"}}
}

type projectsDataSource struct{ dataSourceBase }

// projectFilterModel is the filter of data pipesolar_projects and list
// pipesolar_project: GET /projects' productLine and updatedSince.
type projectFilterModel struct {
	ProductLine  types.String `tfsdk:"product_line"`
	UpdatedSince types.String `tfsdk:"updated_since"`
}

// listFilter is the client's filter for m, with at most limit rows (0: all).
func (m projectFilterModel) listFilter(limit int64) pipesolar.ListFilter {
	return pipesolar.ListFilter{ProductLine: m.ProductLine.ValueString(), UpdatedSince: m.UpdatedSince.ValueString(), Limit: limit}
}

// describe names the filter for an error message.
func (m projectFilterModel) describe() string {
	s := "every project of the company"
	if pl := m.ProductLine.ValueString(); pl != "" {
		s += fmt.Sprintf(" with product_line %q", pl)
	}
	if since := m.UpdatedSince.ValueString(); since != "" {
		s += fmt.Sprintf(" changed since %s", since)
	}
	return s
}

// projectFilterAttributes are projectFilterModel's arguments, each built by
// newAttr from its description and validators (the data source and the list
// resource have schema types of their own).
func projectFilterAttributes[A any](newAttr func(description string, v ...validator.String) A) map[string]A {
	return map[string]A{
		"product_line": newAttr("Only projects of this product line: `solar` or `hi` (Home Improvement). Default: both.",
			stringvalidator.OneOf("solar", "hi")),
		"updated_since": newAttr("Only projects changed after this time (RFC 3339, for example `2026-11-01T00:00:00Z`).",
			validate.RFC3339()),
	}
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := projectFilterAttributes(func(description string, v ...validator.String) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: v}
	})
	attrs["projects"] = schema.ListNestedAttribute{
		MarkdownDescription: "The projects, newest change first, as `GET /projects` lists them: each row has the " +
			"attributes below, with the names and meaning of the `pipesolar_project` data source (which reads " +
			"everything else of one project).",
		Computed:     true,
		NestedObject: schema.NestedAttributeObject{Attributes: dataSourceAttributes(projectFields, isRowField)},
	}
	attrs["ids"] = schema.ListAttribute{
		MarkdownDescription: "Pipe's ids of the projects, in the same order.",
		Computed:            true,
		ElementType:         types.StringType,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the company's pipe.solar projects (`GET /projects`, every page; the API key names " +
			"the company).",
		Attributes: attrs,
	}
}

func (d *projectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var model projectsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := model.projectFilterModel
	rows, err := client.ListProjects(ctx, cfg.listFilter(0))
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not list pipe.solar projects", fmt.Errorf("listing %s: %w", cfg.describe(), err)))
		return
	}
	model.Projects, model.IDs, diags = projectRows(rows)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, model)...)
}

// projectsDataModel is the data source's configuration and state.
type projectsDataModel struct {
	projectFilterModel
	Projects types.List `tfsdk:"projects"`
	IDs      types.List `tfsdk:"ids"`
}

// projectRows maps the listing's rows to the projects and ids lists.
func projectRows(rows []pipesolar.ProjectRow) (types.List, types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	rowType := projectRowType()
	objs := make([]attr.Value, 0, len(rows))
	ids := make([]attr.Value, 0, len(rows))
	for i := range rows {
		vals, err := projectValues(&rows[i], isRowField)
		if err != nil {
			diags.AddError("Could not decode a pipe.solar project", err.Error())
			return types.ListNull(rowType), types.ListNull(types.StringType), diags
		}
		obj, d := types.ObjectValue(rowType.AttrTypes, vals)
		diags.Append(d...)
		objs = append(objs, obj)
		ids = append(ids, types.StringValue(rows[i].ID))
	}
	projects, d := types.ListValue(rowType, objs)
	diags.Append(d...)
	idList, d := types.ListValue(types.StringType, ids)
	diags.Append(d...)
	return projects, idList, diags
}
