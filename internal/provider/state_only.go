package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// stateOnlyDestroy is the warning of a resource whose destroy only removes
// it from Terraform state because the API cannot delete or undo what it
// made (pipesolar_project, pipesolar_project_stage, pipesolar_activity,
// pipesolar_project_file, pipesolar_upowr_file).
type stateOnlyDestroy struct {
	summary string
	// planSummary, when set, titles the warning of the destroy plan instead
	// of summary.
	planSummary string
	// detail says what stays where; attr reads a string attribute of the
	// state being destroyed.
	detail func(attr func(name string) string) string
}

// warn adds the warning with summary, its detail filled from state.
func (w stateOnlyDestroy) warn(ctx context.Context, summary string, state tfsdk.State, diags *diag.Diagnostics) {
	attr := func(name string) string {
		var v types.String
		diags.Append(state.GetAttribute(ctx, path.Root(name), &v)...)
		return v.ValueString()
	}
	diags.AddWarning(summary, w.detail(attr))
}

// modifyPlan warns in a destroy plan, so the user reads it before applying;
// other plans are left alone.
func (w stateOnlyDestroy) modifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	summary := w.planSummary
	if summary == "" {
		summary = w.summary
	}
	w.warn(ctx, summary, req.State, &resp.Diagnostics)
}

// delete is the whole Delete of such a resource: it calls no API and warns.
func (w stateOnlyDestroy) delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	w.warn(ctx, w.summary, req.State, &resp.Diagnostics)
}

// replaceOnlyUpdate is the Update of a resource whose every argument
// requires replacement: Terraform calls it with no change, so it stores the
// plan (of model type M) as it is.
func replaceOnlyUpdate[M any](ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}
