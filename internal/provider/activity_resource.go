package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithModifyPlan   = &activityResource{}
	_ resource.ResourceWithUpgradeState = &activityResource{}
)

// NewActivityResource returns the deprecated pipesolar_activity resource.
func NewActivityResource() resource.Resource {
	return &activityResource{resourceBase: resourceBase{name: "activity"}, stateOnlyDestroy: activityDestroy}
}

// activityResource is what is left of 1.x's activity notes: Pipe API v1 has
// no call that creates an activity, so the resource keeps the notes 1.x
// logged in state (no call) and refuses to log new ones.
type activityResource struct {
	resourceBase
	stateOnlyDestroy
	stateKept
	replaceOnly
}

// activityRemovedBlock is the way out shown in the deprecation, the create
// error and the docs.
const activityRemovedBlock = "removed {\n  from = pipesolar_activity.example\n\n  lifecycle {\n    destroy = false\n  }\n}"

// activityDeprecation explains the deprecation.
const activityDeprecation = "pipesolar_activity is deprecated: Pipe API v1 has no call that creates an activity, so it " +
	"cannot log new notes. A lead's notes are posted to its activity: use pipesolar_lead's notes, or the " +
	"pipesolar_lead_note action (Terraform 1.14 and later). Notes logged by provider 1.x stay in pipe.solar and in state; " +
	"retire the resource with a removed block (Terraform 1.7 and later), which leaves the note in pipe.solar:\n\n" +
	activityRemovedBlock

func (r *activityResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version:            1,
		DeprecationMessage: activityDeprecation,
		MarkdownDescription: "**Deprecated.** Held an activity note that provider 1.x logged on a project with the retired " +
			"API's `create_activity`. Pipe API v1 has no call that creates an activity: a lead's notes are posted to its " +
			"activity, so use `pipesolar_lead`'s `notes`, or the `pipesolar_lead_note` action (Terraform 1.14 and later).\n\n" +
			"* **Existing state** from 1.x is kept as it is: refresh makes no API call and plans no change.\n" +
			"* **Create** (a new block, or a changed argument, which would log a new note) is refused at plan time.\n" +
			"* **Destroy** removes the resource from Terraform state only; the note stays in pipe.solar.\n\n" +
			"Retire the resource with a `removed` block (Terraform 1.7 and later):\n\n```terraform\n" +
			activityRemovedBlock + "\n```",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Id of the note in Terraform (from 1.x): the activity id pipe.solar returned, or a random " +
				"32-character hexadecimal id."),
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Id of the project the note was logged on.",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
				PlanModifiers:       replaceString,
			},
			"installer_id": schema.StringAttribute{
				MarkdownDescription: "Id of the installer the note was logged for (the retired API needed it).",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
				PlanModifiers:       replaceString,
			},
			"notes": schema.StringAttribute{
				MarkdownDescription: "Text of the note.",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
				PlanModifiers:       replaceString,
			},
		},
	}
}

// activityDestroy says that destroy leaves the note in pipe.solar.
var activityDestroy = stateOnlyDestroy{
	summary: "Activity note not deleted",
	detail: "Pipe API v1 cannot delete an activity: the note stays on project %s. The pipesolar_activity resource is " +
		"only removed from Terraform state.",
	attrs: []string{"project_id"},
}

// activityCreateRefused explains why no note can be logged, and the way out.
const activityCreateRefused = "Pipe API v1 has no call that creates an activity, so pipesolar_activity can no longer " +
	"log a note (a new pipesolar_activity block, or a changed argument of one, asks for a new note). A lead's notes " +
	"are posted to its activity: use pipesolar_lead's notes, or the pipesolar_lead_note action (Terraform 1.14 and later).\n\n" +
	"To keep a note 1.x logged, leave its block unchanged: its state is kept and costs no call. To retire it, " +
	"replace the block with a removed block (Terraform 1.7 and later), which leaves the note in pipe.solar:\n\n" +
	activityRemovedBlock

// ModifyPlan refuses a create (new or replacement) at plan time and warns
// in a destroy plan.
func (r *activityResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() && !req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddError("pipesolar_activity cannot create notes", activityCreateRefused)
		return
	}
	r.stateOnlyDestroy.ModifyPlan(ctx, req, resp)
}

// Create is refused; ModifyPlan already refuses it at plan time.
func (r *activityResource) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("pipesolar_activity cannot create notes", activityCreateRefused)
}
