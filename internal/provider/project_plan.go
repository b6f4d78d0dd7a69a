package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// projectChangingFields are the read-only values a change of a setting may
// change: they are planned unknown then, every other one keeps its state.
var projectChangingFields = []string{"updated_at", "stage_entered_at", "milestones"}

// ModifyPlan holds pipesolar_project's plan rules, in one pass (per-attribute
// plan modifiers would cost the framework a schema walk per attribute per
// resource):
//   - stage and stage_id: the one configured is managed and the other null;
//     with neither configured both keep their state (at create: the name);
//     a stage name differing from the state's only in case keeps the state's;
//     the stage last read named in the other form (private state) is no
//     move: only the stored form changes;
//   - install_date, ntp_granted: left out, they keep their state;
//     install_date "" (no install date) against a null state (a project
//     read without one) is no change: only the stored form changes;
//   - project_id: another id of the same project (its id, reference or
//     lead's id) is an in-place change with no call; another project
//     replaces the resource;
//   - read-only values keep their state, except those a change of a
//     setting may change (projectChangingFields), which are read back.
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		// Destroy (Delete warns), or nothing changes: the common case in a
		// refresh plan, and decoding three values is not free.
		return
	}
	config, diags := getProjectState(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	plan, diags := getProjectState(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		// Create: the stage is stored by what the configuration manages;
		// unmanaged, by its name.
		if config.known("stage_id") || config["stage_id"].IsUnknown() {
			plan["stage"] = types.StringNull()
		} else {
			plan["stage_id"] = types.StringNull()
		}
		resp.Diagnostics.Append(plan.set(ctx, &resp.Plan)...)
		return
	}
	state, diags := getProjectState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !config["project_id"].IsUnknown() && !sameProject(config.text("project_id"), state) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("project_id"))
		return // Terraform plans the replacement's create anew
	}

	// The stage is compared in both forms: the state holds only the managed
	// one, private state the other as last read.
	current := stateSettings(state, seenStage(ctx, req.Private))
	changes := false
	switch {
	case !config["stage_id"].IsNull():
		plan["stage"] = types.StringNull()
		changes = !plan.known("stage_id") || plan.text("stage_id") != current.stageID
	case !config["stage"].IsNull():
		plan["stage_id"] = types.StringNull()
		if state.known("stage") && config.known("stage") && strings.EqualFold(config.text("stage"), state.text("stage")) {
			plan["stage"] = state["stage"]
		}
		changes = !plan.known("stage") || !strings.EqualFold(plan.text("stage"), current.stage)
	default:
		plan["stage"], plan["stage_id"] = state["stage"], state["stage_id"]
	}
	for _, name := range []string{"install_date", "ntp_granted"} {
		if config[name].IsNull() {
			plan[name] = state[name]
		}
	}
	changes = changes || !plan["ntp_granted"].Equal(state["ntp_granted"]) ||
		plan["install_date"].IsUnknown() || plan.text("install_date") != state.text("install_date")

	for i := range projectFields {
		if f := &projectFields[i]; !f.arg {
			plan[f.name] = state[f.name]
		}
	}
	if changes {
		for _, name := range projectChangingFields {
			plan[name] = unknownValue(projectFieldByName()[name].attrType())
		}
	}
	resp.Diagnostics.Append(plan.set(ctx, &resp.Plan)...)
}

// sameProject reports whether ref names the project of state: its
// project_id as configured, Pipe's id, its old reference or its lead's id.
func sameProject(ref string, state projectState) bool {
	ref = strings.TrimSpace(ref)
	for _, name := range []string{"project_id", "id", "reference", "lead_id"} {
		if state.known(name) && state.text(name) == ref {
			return true
		}
	}
	return false
}
