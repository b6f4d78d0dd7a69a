package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// UpgradeState upgrades 1.x state (schema version 0).
func (r *projectStageResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	prior := projectStageSchemaV0()
	return map[int64]resource.StateUpgrader{0: {PriorSchema: &prior, StateUpgrader: upgradeProjectStageV0}}
}

// projectStageModelV0 is 1.x's pipesolar_project_stage state.
type projectStageModelV0 struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	Stage     types.String `tfsdk:"stage"`
	OrgID     types.String `tfsdk:"org_id"`
}

// upgradeProjectStageV0 keeps id, project_id (the old UID, which Pipe API v1
// still resolves) and stage (its name); org_id is gone (the key names the
// company).
func upgradeProjectStageV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var old projectStageModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &old)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, projectStageModel{
		ID: old.ID, ProjectID: old.ProjectID, Stage: old.Stage, StageID: types.StringNull(),
	})...)
}

// projectStageSchemaV0 is pipesolar_project_stage's schema in provider 1.x
// (schema version 0, commit 157d297), frozen.
func projectStageSchemaV0() schema.Schema {
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"id":         schema.StringAttribute{Computed: true},
		"project_id": schema.StringAttribute{Required: true},
		"stage":      schema.StringAttribute{Required: true},
		"org_id":     schema.StringAttribute{Optional: true},
	}}
}
