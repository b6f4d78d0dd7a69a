package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithImportState      = &projectStageResource{}
	_ resource.ResourceWithModifyPlan       = &projectStageResource{}
	_ resource.ResourceWithIdentity         = &projectStageResource{}
	_ resource.ResourceWithConfigValidators = &projectStageResource{}
	_ resource.ResourceWithUpgradeState     = &projectStageResource{}
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

// projectStageModel is the resource's state. Of stage and stage_id, only
// the one the configuration sets is stored (after an import: the name), so
// that generated configuration never holds both.
type projectStageModel struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	Stage     types.String `tfsdk:"stage"`
	StageID   types.String `tfsdk:"stage_id"`
}

// Metadata names the resource and lets its identity change: project_id may
// move to another id of the same project (the old reference to Pipe's id)
// with no replacement.
func (r *projectStageResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.resourceBase.Metadata(ctx, req, resp)
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *projectStageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 1,
		MarkdownDescription: "Manages the stage of an existing pipe.solar project through Pipe API v1, for projects " +
			"made in the pipe.solar app (a project is made there when a lead is sold).\n\n" +
			"* **Create and update** move the project with one `POST /projects/{id}/stage` call, naming the stage by " +
			"`stage` (its name) or `stage_id` (its id, which survives a rename). Moving into the stage the project is " +
			"already in changes nothing. A stage that is not on the project's ladder is refused at apply with " +
			"pipe.solar's message, which lists the ladder (also readable with data `pipesolar_stages`).\n" +
			"* **Refresh** reads the project with one `GET /projects/{id}`, so a stage moved in the pipe.solar app shows " +
			"up in the next plan as a move back to the configured stage. A project that is gone (404) leaves the " +
			"state; any other failure (bad key, outage, rate limit) is an error and the state is kept.\n" +
			"* **Destroy** changes nothing in pipe.solar: the project keeps its stage and the resource is only removed " +
			"from Terraform state (a warning says so).\n\n" +
			"Stage names compare without regard to case (`ntp` is `NTP`), as pipe.solar matches them.\n\n" +
			"~> **Do not combine** this resource with the `stage` or `stage_id` argument of a `pipesolar_project` for " +
			"the same project: both would manage the same value and each apply would undo the other's change.\n\n" +
			"Import by the project's id, or (Terraform 1.12 and later) by identity `{ project_id = \"...\" }`; the " +
			"imported state holds the stage's name.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Same as `project_id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{sameAsProjectID{}},
			},
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Id of the pipe.solar project: Pipe's id, the old 10-character reference (UID) " +
					"or the project's lead id. Changing it to another project moves management there (the old project " +
					"keeps its stage); changing it to another id of the same project changes nothing in pipe.solar.",
				Required:      true,
				Validators:    []validator.String{validate.NotBlank()},
				PlanModifiers: []planmodifier.String{replaceUnlessSameProject{}},
			},
			"stage": schema.StringAttribute{
				MarkdownDescription: "Name of the stage, as the project's ladder shows it, for example `NTP` or " +
					"`Contract Signed`; case does not matter. Exactly one of `stage` and `stage_id` must be set.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{validate.NotBlank(), validate.Trimmed()},
				PlanModifiers: []planmodifier.String{nullWhenUnset{}, keepPriorIgnoringCase{}},
			},
			"stage_id": schema.StringAttribute{
				MarkdownDescription: "Id of the stage (`id` in data `pipesolar_stages`, or a project's `stage_id`), which " +
					"a rename in pipe.solar keeps. Exactly one of `stage` and `stage_id` must be set.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{validate.NotBlank(), validate.Trimmed()},
				PlanModifiers: []planmodifier.String{nullWhenUnset{}},
			},
		},
	}
}

func (r *projectStageResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(path.MatchRoot("stage"), path.MatchRoot("stage_id"))}
}

// IdentitySchema is the resource's identity: { project_id }, the project id
// as the configuration (or the import) gives it.
func (r *projectStageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"project_id": identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       "Id of the project whose stage this manages (Pipe's id or the old reference).",
		},
	}}
}

// projectStageDestroy says that destroy leaves the project's stage as it is.
var projectStageDestroy = stateOnlyDestroy{
	summary:     "Project stage left unchanged",
	planSummary: "Destroying pipesolar_project_stage does not change the project",
	detail: "Pipe API v1 has no \"unset stage\" call: project %s keeps its current stage. The " +
		"pipesolar_project_stage resource is only removed from Terraform state.",
	attrs: []string{"project_id"},
}

// moveStage moves the project into the stage m names, with one
// POST /projects/{id}/stage.
func (r *projectStageResource) moveStage(ctx context.Context, m *projectStageModel) diag.Diagnostics {
	client, diags := r.data.PipeSolar()
	if diags.HasError() {
		return diags
	}
	id := m.ProjectID.ValueString()
	move, stageAttr := pipesolar.StageMove{Stage: m.Stage.ValueString()}, path.Root("stage")
	if !m.StageID.IsNull() {
		move, stageAttr = pipesolar.StageMove{StageID: m.StageID.ValueString()}, path.Root("stage_id")
	}
	moved, err := client.MoveStage(ctx, id, move)
	switch {
	case err == nil:
	case transport.IsNotFound(err):
		diags.Append(pipeAttrErrorDiag(path.Root("project_id"), "Project not found", err))
		return diags
	case transport.KindOf(err) == transport.KindValidation:
		diags.Append(pipeAttrErrorDiag(stageAttr, "pipe.solar refused the stage", err))
		return diags
	default:
		diags.Append(pipeErrorDiag("Could not move the project's stage", err))
		return diags
	}
	tflog.Info(ctx, "moved pipe.solar project stage",
		map[string]any{"project_id": id, "stage": moved.Stage, "stage_id": moved.StageID, "changed": moved.Changed})
	m.ID = m.ProjectID
	return diags
}

func (r *projectStageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectStageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.moveStage(ctx, &plan)...)
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
	p, err := client.GetProject(ctx, id)
	if err != nil {
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar project no longer exists; removing its stage from state", map[string]any{"project_id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(pipeErrorDiag("Could not read the project's stage", err))
		return
	}
	resp.Diagnostics.Append(rememberProjectIDs(ctx, resp.Private, p)...)
	state.ID = state.ProjectID
	if state.StageID.IsNull() {
		// The name, kept as written when only its case differs.
		if name := p.Stage.Name; name == nil || !strings.EqualFold(*name, state.Stage.ValueString()) {
			state.Stage = types.StringPointerValue(name)
		}
	} else {
		state.StageID = types.StringPointerValue(p.Stage.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *projectStageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state projectStageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A new id of the same project alone changes nothing in pipe.solar.
	if !plan.Stage.Equal(state.Stage) || !plan.StageID.Equal(state.StageID) {
		resp.Diagnostics.Append(r.moveStage(ctx, &plan)...)
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
			"Import a pipesolar_project_stage by the project's id (Pipe's id or the old reference), for example: "+
				"terraform import pipesolar_project_stage.example D4YR1VSK7K (or, on Terraform 1.12 and later, "+
				"an import block with identity = { project_id = \"D4YR1VSK7K\" }).")
		return
	}
	// Read fills id and the stage's name.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "project_id", id)...)
}

// sameAsProjectID plans id as the planned project_id.
type sameAsProjectID struct{}

func (sameAsProjectID) Description(context.Context) string { return "The same as project_id." }

func (m sameAsProjectID) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (sameAsProjectID) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("project_id"), &resp.PlanValue)...)
}
