package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ datasource.DataSourceWithConfigure        = &projectsDataSource{}
	_ datasource.DataSourceWithConfigValidators = &projectsDataSource{}
)

// NewProjectsDataSource returns the pipesolar_projects data source.
func NewProjectsDataSource() datasource.DataSource {
	return &projectsDataSource{dataSourceBase{name: "projects"}}
}

type projectsDataSource struct{ dataSourceBase }

// projectFilterModel is the filter of data pipesolar_projects and list
// pipesolar_project: an organisation or an installer, exactly one of them.
type projectFilterModel struct {
	OrgID       types.String `tfsdk:"org_id"`
	InstallerID types.String `tfsdk:"installer_id"`
}

// projectFilterAttributes are projectFilterModel's arguments, each built by
// attr from its description (the data source and the list resource have
// schema types of their own).
func projectFilterAttributes[A any](attr func(description string) A) map[string]A {
	return map[string]A{
		"org_id":       attr("Organisation whose projects to list. Exactly one of `org_id` and `installer_id` must be set."),
		"installer_id": attr("Installer whose projects to list. Exactly one of `org_id` and `installer_id` must be set."),
	}
}

// projectFilterPaths are projectFilterModel's arguments, for ExactlyOneOf.
func projectFilterPaths() []path.Expression {
	return []path.Expression{path.MatchRoot("org_id"), path.MatchRoot("installer_id")}
}

// projectsDataModel is the data source's configuration (Projects and IDs
// are null there); projectsState builds the result.
type projectsDataModel struct {
	projectFilterModel
	Projects types.List `tfsdk:"projects"`
	IDs      types.List `tfsdk:"ids"`
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := projectFilterAttributes(func(description string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: []validator.String{validate.NotBlank()}}
	})
	// `projects` is a list attribute of projectObjectType rather than a
	// list nested attribute: Terraform sees the same type, but the
	// framework walks a nested attribute's schema for every null value when
	// it sends the state, which for 10,000 projects cost more than
	// everything the provider itself does.
	attrs["projects"] = schema.ListAttribute{
		MarkdownDescription: "The projects, in the order the API lists them; empty when there are none. Each is an " +
			"object with `id` and every attribute of the `pipesolar_project` data source, with the same names, " +
			"types and meaning (numbers as numbers, dates as `YYYY-MM-DD`, emails lower-cased, empty values null; " +
			"see that data source for each attribute).",
		Computed:    true,
		ElementType: projectObjectType(),
	}
	attrs["ids"] = schema.ListAttribute{
		MarkdownDescription: "The projects' ids, in the same order as `projects`. A project the API lists " +
			"without an id (none is expected) is left out here, with a warning.",
		ElementType: types.StringType,
		Computed:    true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the pipe.solar projects of an organisation (`org_id`, `fetch_all_project`) or of an " +
			"installer (`installer_id`, `fetch_all_project_installer`), with the same attributes as the " +
			"`pipesolar_project` data source.\n\n" +
			"Every page is read, starting at page 1, in one refresh. Reading stops at the first page that is empty, " +
			"at a page that brings no project not already seen (a page that repeats the previous one, as a server " +
			"that ignores the `page` parameter answers), or at a page that says `remaining` is 0 (or whose `total` " +
			"has been reached). A project listed on two pages is returned once. A server that ignores `page` " +
			"therefore yields only its first page: the listing is then incomplete, and this is the only way to " +
			"stop without looping forever.",
		Attributes: attrs,
	}
}

func (d *projectsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(projectFilterPaths()...),
	}
}

func (d *projectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter := pipesolar.ListFilter{OrgID: m.OrgID.ValueString(), InstallerID: m.InstallerID.ValueString()}
	var projects []pipesolar.Project
	resp.Diagnostics.Append(listProjects(ctx, d.data, filter, func(page []pipesolar.Project) error {
		projects = append(projects, page...)
		return nil
	})...)
	if resp.Diagnostics.HasError() {
		return
	}
	state, err := projectsState(ctx, resp.State.Schema.Type().TerraformType(ctx), m, projects)
	if err != nil {
		resp.Diagnostics.Append(projectsBuildError(filter, err))
		return
	}
	// State.Set checks the value's type against the schema.
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// listProjects reads every page of filter's projects and hands each page's
// new projects to fn, for Read and for the protocol server's direct answer
// (projectsMsgPack). An error from fn is a bug in the provider and is
// reported as one. Projects listed without an id get a warning on `ids`.
func listProjects(ctx context.Context, data *providerData, filter pipesolar.ListFilter, fn func([]pipesolar.Project) error) diag.Diagnostics {
	client, diags := data.PipeSolar()
	if diags.HasError() {
		return diags
	}
	listed, missing := 0, 0
	var fnErr error
	err := client.EachProjectPage(ctx, filter, func(page []pipesolar.Project) error {
		listed += len(page)
		for i := range page {
			if strings.TrimSpace(page[i].ID) == "" {
				missing++
			}
		}
		fnErr = fn(page)
		return fnErr
	})
	switch {
	case fnErr != nil:
		diags.Append(projectsBuildError(filter, fnErr))
		return diags
	case err != nil:
		diags.AddError("Could not list pipe.solar projects",
			fmt.Sprintf("Listing the projects of %s: %v%s", filter, err, apiErrorAdvice(err)))
		return diags
	}
	if missing > 0 {
		diags.AddAttributeWarning(path.Root("ids"), "Projects without an id",
			fmt.Sprintf("pipe.solar listed %d of the %d projects of %s without an id; they are in `projects` with a null id "+
				"and are left out of `ids`.", missing, listed, filter))
	}
	return diags
}

func projectsBuildError(filter pipesolar.ListFilter, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Could not build the list of projects",
		fmt.Sprintf("This is a bug in the provider; please report it. Listing the projects of %s: %v", filter, err))
}

// projectTerraformType is projectObjectType in terraform-plugin-go terms.
var projectTerraformType = sync.OnceValue(func() tftypes.Object {
	ctx := context.Background()
	attrTypes := make(map[string]tftypes.Type, len(projectObjectType().AttrTypes))
	for name, t := range projectObjectType().AttrTypes {
		attrTypes[name] = t.TerraformType(ctx)
	}
	return tftypes.Object{AttributeTypes: attrTypes}
})

// projectsState is the data source's state: config's arguments, and
// projects mapped onto the `projects` and `ids` attributes in the API's order.
//
// A listing can hold tens of thousands of projects, so the state is built
// straight as a tftypes.Value. Going through types.List and State.Set with a
// model struct would convert the list three times (the framework converts an
// attr.Value to tftypes, back to an attr.Value and to tftypes again) and
// rebuild each object's type per project: ~80% of the provider's own time
// for 10,000 projects. Each project's values still come from projectValues,
// the mapping data pipesolar_project uses.
func projectsState(ctx context.Context, stateType tftypes.Type, config projectsDataModel, projects []pipesolar.Project) (state tftypes.Value, err error) {
	defer func() {
		// tftypes.NewValue panics on a value that does not match its type,
		// which would be a bug here; report it rather than crash Terraform.
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	objType := projectTerraformType()
	items := make([]tftypes.Value, len(projects))
	ids := make([]tftypes.Value, 0, len(projects))
	for i := range projects {
		vals := projectAPIValues(&projects[i])
		tfVals := make(map[string]tftypes.Value, len(vals))
		for name, v := range vals {
			tv, err := v.ToTerraformValue(ctx)
			if err != nil {
				return state, fmt.Errorf("project %d, attribute %s: %w", i, name, err)
			}
			tfVals[name] = tv
		}
		items[i] = tftypes.NewValue(objType, tfVals)
		if !vals["id"].IsNull() {
			ids = append(ids, tfVals["id"])
		}
	}
	orgID, err := config.OrgID.ToTerraformValue(ctx)
	if err != nil {
		return state, err
	}
	installerID, err := config.InstallerID.ToTerraformValue(ctx)
	if err != nil {
		return state, err
	}
	return tftypes.NewValue(stateType, map[string]tftypes.Value{
		"org_id":       orgID,
		"installer_id": installerID,
		"projects":     tftypes.NewValue(tftypes.List{ElementType: objType}, items),
		"ids":          tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids),
	}), nil
}
