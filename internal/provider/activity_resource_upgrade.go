package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// activityModel is pipesolar_activity's state, the same in 1.x (schema
// version 0) and 2.x.
type activityModel struct {
	ID          types.String `tfsdk:"id"`
	ProjectID   types.String `tfsdk:"project_id"`
	InstallerID types.String `tfsdk:"installer_id"`
	Notes       types.String `tfsdk:"notes"`
}

// UpgradeState keeps 1.x state (schema version 0) as it is.
func (r *activityResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	prior := schema.Schema{Attributes: map[string]schema.Attribute{
		"id":           schema.StringAttribute{Computed: true},
		"project_id":   schema.StringAttribute{Required: true},
		"installer_id": schema.StringAttribute{Required: true},
		"notes":        schema.StringAttribute{Required: true},
	}}
	return map[int64]resource.StateUpgrader{0: {PriorSchema: &prior,
		StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
			var m activityModel
			resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
			if !resp.Diagnostics.HasError() {
				resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
			}
		}}}
}
