package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

// The schemas of pipe.solar projects, derived from projectFields: the
// pipesolar_project resource (its arguments optional and computed, every
// other field computed), data pipesolar_project (every field computed) and
// the rows of data pipesolar_projects.

// projectSchemaVersion is pipesolar_project's schema version: 1 since 2.0.0
// (Pipe API v1); version 0 was 1.x's, upgraded by projectStateUpgraders.
const projectSchemaVersion = 1

const projectResourceDescription = "Puts an existing pipe.solar project under management (Pipe API v1).\n\n" +
	"Pipe API v1 has no call that creates or deletes a project: a project is made in the pipe.solar app when a lead " +
	"is sold (create leads with `pipesolar_lead`). Creating this resource reads the project named by `project_id` " +
	"(`GET /projects/{id}`) and then changes only the settings that are configured and differ: the stage " +
	"(`stage` or `stage_id`, `POST /projects/{id}/stage`), `install_date` and `ntp_granted` (`PATCH /projects/{id}`). " +
	"A setting left out of the configuration is not managed: what people set in the app is shown, with no diff. " +
	"Destroying the resource only stops managing the project; nothing changes in pipe.solar.\n\n" +
	"Every other attribute is the project as v1 returns it. Import by id (`terraform import`, `import` blocks) or, " +
	"on Terraform 1.12 and later, by identity `{ id }`."

// projectArgDescriptions are the arguments' descriptions in the resource;
// the data sources use the field's own.
var projectArgDescriptions = map[string]string{
	"stage": "Name of the stage to keep the project in, for example `Permitting` (any case: a name differing only in " +
		"case from the project's stage is the same stage). At most one of `stage` and `stage_id`. Left out (with " +
		"`stage_id` too), the stage is not managed and shows the project's stage by name.",
	"stage_id": "Id of the stage to keep the project in (see data `pipesolar_stages`). At most one of `stage` and " +
		"`stage_id`; when it is set, `stage` is null.",
	"install_date": "Scheduled install date, `YYYY-MM-DD` (the milestone `installScheduled`), or `\"\"` to keep the " +
		"project without one: a date it has is cleared, and a date later set in the app shows as a change that clears " +
		"it again. Left out, it is not managed and shows the project's date (when there is none: null, or `\"\"` " +
		"if it was configured `\"\"`).",
	"ntp_granted": "Whether notice to proceed is granted. Left out, it is not managed and shows the project's value.",
}

// resourceAttribute is the field's attribute in pipesolar_project.
func (f *projectField) resourceAttribute() schema.Attribute {
	desc := f.desc
	if f.arg {
		desc = projectArgDescriptions[f.name]
	}
	switch f.kind {
	case kindString:
		a := schema.StringAttribute{MarkdownDescription: desc, Computed: true, Optional: f.arg}
		switch f.name {
		case "stage":
			a.Validators = []validator.String{validate.NotBlank(), stringvalidator.ConflictsWith(path.MatchRoot("stage_id"))}
		case "stage_id":
			a.Validators = []validator.String{validate.NotBlank()}
		case "install_date":
			a.Validators = []validator.String{validate.InstallDate()}
		}
		return a
	case kindNumber:
		return schema.NumberAttribute{MarkdownDescription: desc, Computed: true}
	case kindBool:
		return schema.BoolAttribute{MarkdownDescription: desc, Computed: true, Optional: f.arg}
	case kindObject:
		return schema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true, Attributes: resourceAttributes(f.attrs)}
	case kindObjectList:
		return schema.ListNestedAttribute{MarkdownDescription: desc, Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: resourceAttributes(f.attrs)}}
	case kindStringList:
		return schema.ListAttribute{MarkdownDescription: desc, Computed: true, ElementType: types.StringType}
	case kindStringMap, kindTextMap, kindLinksMap:
		mt, _ := f.attrType().(types.MapType)
		return schema.MapAttribute{MarkdownDescription: desc, Computed: true, ElementType: mt.ElemType}
	}
	panic(fmt.Sprintf("projectFields: %s has no schema for its kind", f.name)) // a programming error, caught by every test
}

func resourceAttributes(fields []projectField) map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(fields))
	for i := range fields {
		attrs[fields[i].name] = fields[i].resourceAttribute()
	}
	return attrs
}

// dataSourceAttribute is the field's attribute in the data sources: read-only.
func (f *projectField) dataSourceAttribute() dsschema.Attribute {
	switch f.kind {
	case kindString:
		return dsschema.StringAttribute{MarkdownDescription: f.desc, Computed: true}
	case kindNumber:
		return dsschema.NumberAttribute{MarkdownDescription: f.desc, Computed: true}
	case kindBool:
		return dsschema.BoolAttribute{MarkdownDescription: f.desc, Computed: true}
	case kindObject:
		return dsschema.SingleNestedAttribute{MarkdownDescription: f.desc, Computed: true, Attributes: dataSourceAttributes(f.attrs, nil)}
	case kindObjectList:
		return dsschema.ListNestedAttribute{MarkdownDescription: f.desc, Computed: true,
			NestedObject: dsschema.NestedAttributeObject{Attributes: dataSourceAttributes(f.attrs, nil)}}
	case kindStringList:
		return dsschema.ListAttribute{MarkdownDescription: f.desc, Computed: true, ElementType: types.StringType}
	case kindStringMap, kindTextMap, kindLinksMap:
		mt, _ := f.attrType().(types.MapType)
		return dsschema.MapAttribute{MarkdownDescription: f.desc, Computed: true, ElementType: mt.ElemType}
	}
	panic(fmt.Sprintf("projectFields: %s has no schema for its kind", f.name))
}

// dataSourceAttributes is fields' attributes in a data source; keep
// selects them (nil keeps all).
func dataSourceAttributes(fields []projectField, keep func(*projectField) bool) map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(fields))
	for i := range fields {
		if f := &fields[i]; keep == nil || keep(f) {
			attrs[f.name] = f.dataSourceAttribute()
		}
	}
	return attrs
}

// projectResourceSchema is pipesolar_project's schema.
func projectResourceSchema(ctx context.Context) schema.Schema {
	attrs := resourceAttributes(projectFields)
	attrs["project_id"] = schema.StringAttribute{
		MarkdownDescription: "The project to manage: any id v1 accepts (Pipe's `id`, the old 10-character reference, or " +
			"the id of the lead it was sold from). Changing it to another id of the same project changes nothing; " +
			"naming another project replaces the resource (the old project is left as it is).",
		Required:   true,
		Validators: []validator.String{validate.NotBlank()},
	}
	return schema.Schema{
		MarkdownDescription: projectResourceDescription,
		Version:             projectSchemaVersion,
		Attributes:          attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true}),
		},
	}
}

// projectIdentitySchema is pipesolar_project's identity: { id }.
func projectIdentitySchema() identityschema.Schema {
	return idIdentitySchema("Pipe's id of the project; the old reference or the lead's id are accepted on import.")
}

// idIdentitySchema is an identity of one attribute, id, with description.
func idIdentitySchema(description string) identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true, Description: description},
	}}
}
