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

// describe names the filter for an error message about a listing of
// <noun>s.
func (m projectFilterModel) describe(noun string) string {
	s := "every " + noun + " of the company"
	if pl := m.ProductLine.ValueString(); pl != "" {
		s += fmt.Sprintf(" with product_line %q", pl)
	}
	if since := m.UpdatedSince.ValueString(); since != "" {
		s += fmt.Sprintf(" changed since %s", since)
	}
	return s
}

// filterAttributes are projectFilterModel's arguments for a listing of
// things ("projects", "leads": GET /leads takes GET /projects'
// productLine and updatedSince), each built by newAttr from its
// description and validators (the data sources and the list resources have
// schema types of their own).
func filterAttributes[A any](things string, newAttr func(description string, v ...validator.String) A) map[string]A {
	return map[string]A{
		"product_line": newAttr("Only "+things+" of this product line: `solar` or `hi` (Home Improvement). Default: both.",
			stringvalidator.OneOf("solar", "hi")),
		"updated_since": newAttr("Only "+things+" changed after this time (RFC 3339, for example `2026-11-01T00:00:00Z`).",
			validate.RFC3339()),
	}
}

// dataSourceFilterAttribute is an argument of filterAttributes in a data
// source.
func dataSourceFilterAttribute(description string, v ...validator.String) schema.Attribute {
	return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: v}
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := filterAttributes("projects", dataSourceFilterAttribute)
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
		resp.Diagnostics.Append(pipeErrorDiag("Could not list pipe.solar projects", fmt.Errorf("listing %s: %w", cfg.describe("project"), err)))
		return
	}
	model.Projects, model.IDs, diags = recordsAndIDs(rows, projectRowType(), "project",
		func(r *pipesolar.ProjectRow) (map[string]attr.Value, error) { return projectValues(r, isRowField) },
		func(r *pipesolar.ProjectRow) string { return r.ID })
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

// recordsAndIDs maps a listing's records to a list of objects of type t,
// each of values' attributes, and the list of their ids (by id), in the
// same order; noun names a record in an error.
func recordsAndIDs[T any](records []T, t types.ObjectType, noun string, values func(*T) (map[string]attr.Value, error),
	id func(*T) string) (types.List, types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	objs := make([]attr.Value, 0, len(records))
	ids := make([]attr.Value, 0, len(records))
	for i := range records {
		vals, err := values(&records[i])
		if err != nil {
			diags.AddError("Could not decode a pipe.solar "+noun, err.Error())
			return types.ListNull(t), types.ListNull(types.StringType), diags
		}
		obj, d := types.ObjectValue(t.AttrTypes, vals)
		diags.Append(d...)
		objs = append(objs, obj)
		ids = append(ids, types.StringValue(id(&records[i])))
	}
	list, d := types.ListValue(t, objs)
	diags.Append(d...)
	idList, d := types.ListValue(types.StringType, ids)
	diags.Append(d...)
	return list, idList, diags
}
