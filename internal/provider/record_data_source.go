package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

// The data sources of pipe.solar records, each one of these two types with
// its own descriptions and client call: oneRecordDataSource reads one
// record by id (data pipesolar_project, data pipesolar_lead), and
// recordListDataSource a listing of records of a field table (stages,
// adders, equipment, a lead's activities).

var (
	_ datasource.DataSourceWithConfigure = &oneRecordDataSource[pipesolar.Project]{}
	_ datasource.DataSourceWithConfigure = &recordListDataSource[pipesolar.Stage]{}
)

// oneRecordDataSource reads one record (GET /<noun>s/{id}) by any id v1
// accepts: `id` keeps the id as configured, `<noun>_id` is Pipe's id, and
// every other attribute is one of fields.
type oneRecordDataSource[T any] struct {
	dataSourceBase
	// noun names the record in messages, the endpoint and the canonical id
	// attribute: "project" is GET /projects/{id} and project_id.
	noun   string
	fields []projectField
	// description, idDescription and canonicalDescription describe the data
	// source, `id` and `<noun>_id`.
	description, idDescription, canonicalDescription string
	// get reads the record (a client method: (*pipesolar.Client).GetProject).
	get func(*pipesolar.Client, context.Context, string) (*T, error)
	// values are the record's attribute values, by attribute name.
	values func(*T) (map[string]attr.Value, error)
}

func (d *oneRecordDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceAttributes(d.fields, nil)
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: d.idDescription,
		Required:            true,
		Validators:          []validator.String{validate.NotBlank()},
	}
	attrs[d.noun+"_id"] = schema.StringAttribute{MarkdownDescription: d.canonicalDescription, Computed: true}
	resp.Schema = schema.Schema{MarkdownDescription: d.description, Attributes: attrs}
}

func (d *oneRecordDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	record, err := d.get(client, ctx, id.ValueString())
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), strings.ToUpper(d.noun[:1])+d.noun[1:]+" not found",
				fmt.Sprintf("pipe.solar has no %[1]s %[2]q that this API key can see (GET /%[1]ss/{id} answered 404). "+
					"Check the id in the pipe.solar app, and that the key belongs to the %[1]s's company.", d.noun, id.ValueString()))
			return
		}
		resp.Diagnostics.Append(pipeAttrErrorDiag(path.Root("id"), "Could not read pipe.solar "+d.noun, err))
		return
	}
	vals, err := d.values(record)
	if err != nil {
		resp.Diagnostics.AddError("Could not decode the pipe.solar "+d.noun, err.Error())
		return
	}
	vals[d.noun+"_id"] = vals["id"]
	vals["id"] = id // as configured, whatever form the API answers with
	for name, v := range vals {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}

// recordListDataSource reads a listing of records of fields into the list
// attribute named list, optionally filtered by one string argument.
type recordListDataSource[T any] struct {
	dataSourceBase
	description string
	// filter names the optional argument passed to read ("" for none), and
	// filterAttribute is its schema.
	filter          string
	filterAttribute schema.Attribute
	// list names the list attribute; listDescription describes it.
	list, listDescription string
	fields                []projectField
	// read lists the records, given the filter's value ("" when unset or
	// when there is no filter): a client method such as
	// (*pipesolar.Client).ListStages.
	read func(client *pipesolar.Client, ctx context.Context, filter string) ([]T, error)
	// failed is the diagnostic of a failed read.
	failed func(err error, filter string) diag.Diagnostic
}

func (d *recordListDataSource[T]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{d.list: recordListAttribute(d.listDescription, d.fields)}
	if d.filter != "" {
		attrs[d.filter] = d.filterAttribute
	}
	resp.Schema = schema.Schema{MarkdownDescription: d.description, Attributes: attrs}
}

func (d *recordListDataSource[T]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var filter types.String
	if d.filter != "" {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(d.filter), &filter)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	records, err := d.read(client, ctx, filter.ValueString())
	if err != nil {
		resp.Diagnostics.Append(d.failed(err, filter.ValueString()))
		return
	}
	list, diags := recordList(records, d.fields)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(d.list), list)...)
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
