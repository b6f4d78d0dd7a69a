package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// stateOnlyDestroy is the Delete, and the destroy-plan warning, of a resource
// whose destroy only removes it from Terraform state because the API cannot
// delete or undo what it made (pipesolar_project, pipesolar_project_stage,
// pipesolar_activity, pipesolar_project_file, pipesolar_upowr_file). A
// resource embeds it; one with a ModifyPlan of its own (pipesolar_project,
// pipesolar_upowr_file) warns at apply only.
type stateOnlyDestroy struct {
	summary string
	// planSummary, when set, titles the warning of the destroy plan instead
	// of summary.
	planSummary string
	// detail says what stays where: a format whose verbs take the string
	// attributes attrs names, from the state being destroyed.
	detail string
	attrs  []string
}

// warn adds the warning with summary, its detail filled from state.
func (w stateOnlyDestroy) warn(ctx context.Context, summary string, state tfsdk.State, diags *diag.Diagnostics) {
	args := make([]any, len(w.attrs))
	for i, name := range w.attrs {
		var v types.String
		diags.Append(state.GetAttribute(ctx, path.Root(name), &v)...)
		args[i] = v.ValueString()
	}
	diags.AddWarning(summary, fmt.Sprintf(w.detail, args...))
}

// ModifyPlan warns in a destroy plan, so the user reads it before applying;
// other plans are left alone.
func (w stateOnlyDestroy) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	summary := w.planSummary
	if summary == "" {
		summary = w.summary
	}
	w.warn(ctx, summary, req.State, &resp.Diagnostics)
}

// Delete calls no API and warns.
func (w stateOnlyDestroy) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	w.warn(ctx, w.summary, req.State, &resp.Diagnostics)
}

// replaceOnly is the Update of a resource whose every argument requires
// replacement: Terraform plans no in-place change for it, so an Update can
// only carry values that need no API call (an attribute a later version adds
// without RequiresReplace, for example), and it stores the plan as it is.
type replaceOnly struct{}

func (replaceOnly) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw.Copy()
}

// stateKept is the Read of a resource whose API has nothing to read it
// with: the state stays exactly as Terraform last wrote it.
type stateKept struct{}

func (stateKept) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}
