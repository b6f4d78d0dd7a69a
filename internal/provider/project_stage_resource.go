package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithConfigure   = &projectStageResource{}
	_ resource.ResourceWithImportState = &projectStageResource{}
	_ resource.ResourceWithModifyPlan  = &projectStageResource{}
	_ resource.ResourceWithIdentity    = &projectStageResource{}
)

// NewProjectStageResource returns the pipesolar_project_stage resource.
func NewProjectStageResource() resource.Resource {
	return &projectStageResource{resourceBase{name: "project_stage"}, projectStageDestroy}
}

// projectStageResource manages the stage of a project that exists already.
type projectStageResource struct {
	resourceBase
	stateOnlyDestroy
}

// projectStageModel is the resource's state.
type projectStageModel struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	Stage     types.String `tfsdk:"stage"`
	OrgID     types.String `tfsdk:"org_id"`
}

func (r *projectStageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the stage of an existing pipe.solar project (`update_stage`), for projects created " +
			"in the pipe.solar app or by another configuration.\n\n" +
			"* **Create and update** set the stage with one `update_stage` call.\n" +
			"* **Refresh** reads the project's current stage (`projectStatus` from `fetch_project`), so a stage changed in " +
			"the pipe.solar app shows up in the next plan as a change back to the configured stage. If the project " +
			"was deleted, the resource leaves the state and the plan proposes to create it again; any other read " +
			"failure (bad token, outage) is an error and the state is kept.\n" +
			"* **Destroy** changes nothing in pipe.solar: the project keeps its current stage and the resource is only " +
			"removed from Terraform state (a warning says so).\n\n" +
			"Stage names are compared exactly as pipe.solar writes them (case and spaces matter): use the name as " +
			"configured in pipe.solar, for example `NTP` or `Contract Signed`. A name pipe.solar does not know is " +
			"refused at apply with the API's own message.\n\n" +
			"~> **Do not combine** this resource with the `project_stage` argument of a `pipesolar_project` resource " +
			"for the same project: both would manage the same value and each apply would undo the other's change. " +
			"Use `project_stage` when Terraform creates the project, and this resource when it does not.\n\n" +
			"Import by the project's id, or (Terraform 1.12 and later) by identity `{ project_id = \"...\" }`.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Same as `project_id`."),
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Id of the pipe.solar project, as shown in the pipe.solar app (for example " +
					"`D4YR1VSK7K`). Changing it moves management to another project: the old project keeps its stage.",
				Required:      true,
				Validators:    []validator.String{validate.NotBlank()},
				PlanModifiers: replaceString,
			},
			"stage": schema.StringAttribute{
				MarkdownDescription: "Stage name exactly as configured in pipe.solar (`project_stage_name`), for " +
					"example `NTP`, `Permitting` or `Contract Signed`. Compared exactly: `ntp` is a different value " +
					"(and, unless pipe.solar has such a stage, refused at apply).",
				Required:   true,
				Validators: []validator.String{validate.Trimmed()},
			},
			"org_id": schema.StringAttribute{
				MarkdownDescription: "Org of the project, for example `pipesolar_project.x.org_id`. Optional: with the " +
					"provider's `batch_refresh`, refresh reads the stage from the org's listing instead of one " +
					"`fetch_project` call. It is recorded in state only; changing it changes nothing in pipe.solar.",
				Optional:   true,
				Validators: []validator.String{validate.Trimmed()},
			},
		},
	}
}

// IdentitySchema is the resource's identity: { project_id }.
func (r *projectStageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"project_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "Id of the project whose stage this manages.",
		},
	}}
}

// projectStageDestroy says that destroy leaves the project's stage as it is.
var projectStageDestroy = stateOnlyDestroy{
	summary:     "Project stage left unchanged",
	planSummary: "Destroying pipesolar_project_stage does not change the project",
	detail: "pipe.solar has no \"unset stage\" operation: project %s keeps its current stage. The " +
		"pipesolar_project_stage resource is only removed from Terraform state.",
	attrs: []string{"project_id"},
}

// setStage sets the project's stage with one update_stage call.
func (r *projectStageResource) setStage(ctx context.Context, m *projectStageModel) diag.Diagnostics {
	client, diags := r.data.PipeSolar()
	if diags.HasError() {
		return diags
	}
	id, stage := m.ProjectID.ValueString(), m.Stage.ValueString()
	if _, err := client.UpdateStage(ctx, id, stage); err != nil {
		switch {
		case transport.IsNotFound(err):
			diags.AddAttributeError(path.Root("project_id"), "Project not found",
				fmt.Sprintf("pipe.solar has no project with id %q, so its stage cannot be set (POST %s answered: %v). "+
					"Check the id in the pipe.solar app.", id, pipesolar.EndpointUpdateStage, err))
		case transport.KindOf(err) == transport.KindValidation:
			diags.AddAttributeError(path.Root("stage"), "pipe.solar refused the stage",
				fmt.Sprintf("Setting project %s to stage %q failed: %v\n\nUse a stage name exactly as configured in "+
					"pipe.solar (case and spaces matter).", id, stage, err))
		default:
			diags.AddAttributeError(path.Root("stage"), "Could not set the project stage",
				fmt.Sprintf("POST %s for stage %q: %s", pipesolar.EndpointUpdateStage, stage, apiErrorDetail(err, id)))
		}
		return diags
	}
	tflog.Info(ctx, "set pipe.solar project stage", map[string]any{"project_id": id, "stage": stage})
	m.ID = m.ProjectID
	return diags
}

// stageOf is a project's stage as fetch_project reports it.
func stageOf(p *pipesolar.Project) string {
	return strings.TrimSpace(p.Text(projectFieldByName()["project_stage"].api))
}

func (r *projectStageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectStageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.setStage(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "project_id", plan.ProjectID.ValueString())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectStageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectStageModel
	client, ok := start(ctx, r.data.PipeSolar, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	id := state.ProjectID.ValueString()
	// Set on every exit: the framework refuses a Read without identity.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "project_id", id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := client.GetProjectInOrg(ctx, state.OrgID.ValueString(), id)
	if err != nil {
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar project no longer exists; removing its stage from state", map[string]any{"project_id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Could not read pipe.solar project stage", apiErrorDetail(err, id))
		return
	}
	state.ID = state.ProjectID
	state.Stage = types.StringValue(stageOf(p))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *projectStageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state projectStageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A change of org_id alone is recorded in state only.
	if !plan.Stage.Equal(state.Stage) {
		resp.Diagnostics.Append(r.setStage(ctx, &plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	plan.ID = plan.ProjectID
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "project_id", plan.ProjectID.ValueString())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectStageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, "project_id")
	if id == "" {
		resp.Diagnostics.AddError("Missing project id",
			"Import a pipesolar_project_stage by the project's id, for example: "+
				"terraform import pipesolar_project_stage.example D4YR1VSK7K (or, on Terraform 1.12 and later, "+
				"an import block with identity = { project_id = \"D4YR1VSK7K\" }).")
		return
	}
	// Read sets id from project_id.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "project_id", id)...)
}

// trimmedNonEmpty rejects an empty string and one with leading or trailing
// white space: pipe.solar trims what it stores, so such a value would show
