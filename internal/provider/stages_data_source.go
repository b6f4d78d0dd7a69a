package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &stagesDataSource{}

// NewStagesDataSource returns the pipesolar_stages data source.
func NewStagesDataSource() datasource.DataSource {
	return &stagesDataSource{dataSourceBase{name: "stages"}}
}

type stagesDataSource struct{ dataSourceBase }

// stageFields are a rung of GET /stages.
var stageFields = []projectField{
	{name: "id", api: "id", kind: kindString, desc: "Id of the stage (a project's `stage_id`)."},
	{name: "name", api: "name", kind: kindString, desc: "Name of the stage (a project's `stage`)."},
	{name: "product_line", api: "productLine", kind: kindString, desc: "`solar` or `hi` (Home Improvement)."},
	{name: "position", api: "position", kind: kindNumber, desc: "Place of the stage on its ladder."},
	{name: "kind", api: "kind", kind: kindString,
		desc: "`normal`, `onHold` (a project waits there) or `cancelled` (a project stopped there)."},
}

func (d *stagesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The company's stage ladders (`GET /stages`): the stages a project can be moved to " +
			"with `pipesolar_project` or `pipesolar_project_stage`. Needs the installer company's key (a dealer's " +
			"key is refused).",
		Attributes: map[string]schema.Attribute{
			"product_line": schema.StringAttribute{
				MarkdownDescription: "Only this product line's ladder: `solar` or `hi` (Home Improvement). Default: both.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("solar", "hi")},
			},
			"stages": recordListAttribute("The stages, in the order of their ladders.", stageFields),
		},
	}
}

func (d *stagesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var productLine types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("product_line"), &productLine)...)
	if resp.Diagnostics.HasError() {
		return
	}
	stages, err := client.ListStages(ctx, productLine.ValueString())
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not read the pipe.solar stage ladder", err))
		return
	}
	setRecordList(ctx, resp, "stages", stages, stageFields)
}

// recordListAttribute is a read-only list of records of fields.
func recordListAttribute(description string, fields []projectField) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		NestedObject:        schema.NestedAttributeObject{Attributes: dataSourceAttributes(fields, nil)},
	}
}

// recordList maps v1 records (catalogue rows, stages, activities) to a
// list of objects of fields.
func recordList[T any](records []T, fields []projectField) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	t := fieldsObjectType(fields)
	objs := make([]attr.Value, 0, len(records))
	for i := range records {
		m, err := jsonObject(&records[i])
		if err != nil {
			diags.AddError("Could not decode a pipe.solar answer", err.Error())
			return types.ListNull(t), diags
		}
		objs = append(objs, objectValue(fields, m))
	}
	list, d := types.ListValue(t, objs)
	diags.Append(d...)
	return list, diags
}

// setRecordList stores records as the list attribute name of a data source.
func setRecordList[T any](ctx context.Context, resp *datasource.ReadResponse, name string, records []T, fields []projectField) {
	list, diags := recordList(records, fields)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), list)...)
}
