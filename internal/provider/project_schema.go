package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

// The schemas of pipe.solar projects, derived from projectFields: the
// pipesolar_project resource (arguments Optional+Computed, read-only
// attributes Computed) and the attributes every data source and list result
// shares (all Computed).

const (
	createOnlyNote  = " Required to create a project."
	immutableNote   = " pipe.solar cannot change it on an existing project: a plan that would change it fails (see the resource's description)."
	notReturnedNote = " pipe.solar does not return it, so refresh cannot see changes made in the app; after an import it is taken from the configuration without an API call."
	decimalNote     = " Compared as a decimal, as pipe.solar stores it (`8.5` and `8.50` are the same)."
)

// fieldDescription is a field's documentation, with what its flags mean
// for a user of the resource.
func (f *projectField) fieldDescription(resourceArg bool) string {
	d := f.desc
	if f.returned() && f.kind != kindSecondary && f.kind != kindFolders {
		d += fmt.Sprintf(" (`%s` in `fetch_project`)", f.api)
	}
	if f.kind == kindDecimal {
		d += decimalNote
	}
	if !resourceArg {
		return d
	}
	if f.required {
		d += createOnlyNote
	}
	if !f.mutable {
		d += immutableNote
	}
	if !f.returned() {
		d += notReturnedNote
	}
	return d
}

// resourceAttribute is the field's attribute in pipesolar_project.
// Arguments are Optional+Computed: fetch_project fills what the
// configuration leaves out, and import / -generate-config-out work without
// the arguments pipe.solar cannot return (ModifyPlan requires them when a
// project is created).
func (f *projectField) resourceAttribute() schema.Attribute {
	desc := f.fieldDescription(f.arg)
	optional, computed := f.arg, true
	switch f.kind {
	case kindText, kindEmail:
		a := schema.StringAttribute{MarkdownDescription: desc, Optional: optional, Computed: computed}
		if f.arg {
			v := validate.NotBlank()
			if f.kind == kindEmail {
				v = validate.Email()
			}
			a.Validators = []validator.String{v}
		}
		return a
	case kindDecimal:
		a := schema.NumberAttribute{MarkdownDescription: desc, Optional: optional, Computed: computed}
		if f.arg {
			a.Validators = []validator.Number{nonNegativeNumber{}}
		}
		return a
	case kindWhole:
		a := schema.Int64Attribute{MarkdownDescription: desc, Optional: optional, Computed: computed}
		if f.arg {
			a.Validators = []validator.Int64{int64validator.AtLeast(0)}
		}
		return a
	case kindDate:
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	case kindList, kindURLList:
		elem := validate.NotBlank()
		if f.kind == kindURLList {
			elem = validate.HTTPURL()
		}
		return schema.ListAttribute{MarkdownDescription: desc + " Elements are compared trimmed.",
			ElementType: types.StringType, Optional: optional, Computed: computed,
			Validators: []validator.List{listvalidator.ValueStringsAre(elem)}}
	case kindFolders:
		return schema.MapAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	case kindSecondary:
		attrs := make(map[string]schema.Attribute, len(secondaryCustomerAttributes))
		for name, a := range secondaryCustomerAttributes {
			attrs[name] = schema.StringAttribute{MarkdownDescription: a.desc, Computed: true}
		}
		return schema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true, Attributes: attrs}
	}
	panic(fmt.Sprintf("projectFields: %s has no schema for its kind", f.name)) // a programming error, caught by every test
}

// dataSourceAttribute is the field's attribute in the data sources: every
// field fetch_project returns, read-only.
func (f *projectField) dataSourceAttribute() dsschema.Attribute {
	desc := f.fieldDescription(false)
	switch f.kind {
	case kindText, kindEmail:
		return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true}
	case kindDecimal:
		return dsschema.NumberAttribute{MarkdownDescription: desc, Computed: true}
	case kindWhole:
		return dsschema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	case kindDate:
		return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true}
	case kindList, kindURLList:
		return dsschema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	case kindFolders:
		return dsschema.MapAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	case kindSecondary:
		attrs := make(map[string]dsschema.Attribute, len(secondaryCustomerAttributes))
		for name, a := range secondaryCustomerAttributes {
			attrs[name] = dsschema.StringAttribute{MarkdownDescription: a.desc, Computed: true}
		}
		return dsschema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true, Attributes: attrs}
	}
	panic(fmt.Sprintf("projectFields: %s has no schema for its kind", f.name))
}

// projectDataAttributes is every attribute fetch_project returns, keyed by
// name, without id: the attributes of data pipesolar_project and of each
// element of data pipesolar_projects.
func projectDataAttributes() map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(projectFields))
	for i := range projectFields {
		if f := &projectFields[i]; f.returned() {
			attrs[f.name] = f.dataSourceAttribute()
		}
	}
	return attrs
}

// projectObjectType is the type of one project as the data sources show it:
// id plus every field fetch_project returns.
var projectObjectType = sync.OnceValue(func() types.ObjectType {
	attrTypes := map[string]attr.Type{"id": types.StringType}
	for i := range projectFields {
		if f := &projectFields[i]; f.returned() {
			attrTypes[f.name] = f.attrType()
		}
	}
	return types.ObjectType{AttrTypes: attrTypes}
})

const projectResourceDescription = "A pipe.solar project (`create_project`, `fetch_project`).\n\n" +
	"Only `project_stage` can change on an existing project (`update_stage`); pipe.solar has no update or delete " +
	"API. A plan that would change any other argument fails with an error that names the attribute, its current " +
	"and wanted value, and the ways out. Nothing is replaced by accident.\n\n" +
	"Arguments marked \"Required to create a project\" are checked when a create is planned; they are optional in " +
	"the schema so that an imported project, and configuration written by `terraform plan -generate-config-out` " +
	"or `terraform query -generate-config-out`, plan without them. " +
	"`project_stage`: when unset, the project starts in pipe.solar's default stage and the stage set in the app is " +
	"shown without a diff; do not also manage the stage with `pipesolar_project_stage`.\n\n" +
	"Identity (Terraform 1.12 and later): `id`."

// projectResourceSchema is pipesolar_project's schema.
func projectResourceSchema(ctx context.Context) schema.Schema {
	attrs := make(map[string]schema.Attribute, len(projectFields)+1)
	for i := range projectFields {
		attrs[projectFields[i].name] = projectFields[i].resourceAttribute()
	}
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Project id as pipe.solar assigns it (for example `D4YR1VSK7K`).",
		Computed:            true,
	}
	return schema.Schema{
		MarkdownDescription: projectResourceDescription,
		Attributes:          attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true}),
		},
	}
}

// projectIdentitySchema is pipesolar_project's identity: { id }.
func projectIdentitySchema() identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "Project id as pipe.solar assigns it (for example `D4YR1VSK7K`).",
		},
	}}
}
