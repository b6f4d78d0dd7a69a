package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// What pipesolar_project_stage and pipesolar_project_file, the resources
// that act on a project by its project_id, share.

// projectIDsKey is the private state key under which Read keeps every id
// of the project: Pipe's id, its old reference and its lead's id.
const projectIDsKey = "project_ids"

// rememberProjectIDs keeps p's ids in private state, so that a plan can
// tell another id of the same project from another project.
func rememberProjectIDs(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, p *pipesolar.Project) diag.Diagnostics {
	ids := []string{p.ID}
	if p.Reference != nil && *p.Reference != "" {
		ids = append(ids, *p.Reference)
	}
	if p.LeadID != "" {
		ids = append(ids, p.LeadID)
	}
	b, err := json.Marshal(ids)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not record the project's ids", err.Error())
		return diags
	}
	return private.SetKey(ctx, projectIDsKey, b)
}

// replaceUnlessSameProject replaces the resource when project_id names
// another project; a new id of the same project (Pipe's id for the old
// reference, or the lead's id) is an update that calls nothing.
type replaceUnlessSameProject struct{}

func (replaceUnlessSameProject) Description(context.Context) string {
	return "Replaces the resource when project_id names another project."
}

func (m replaceUnlessSameProject) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (replaceUnlessSameProject) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	resp.RequiresReplace = !sameProjectIDs(ctx, req.Private, req.StateValue, req.PlanValue)
}

// sameProjectIDs reports whether project ids a and b name the same project:
// equal, or both among the ids the last Read kept in private state.
func sameProjectIDs(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}, a, b types.String) bool {
	if a.Equal(b) {
		return true
	}
	if a.IsUnknown() || b.IsUnknown() || private == nil {
		return false
	}
	data, _ := private.GetKey(ctx, projectIDsKey)
	var ids []string
	return len(data) > 0 && json.Unmarshal(data, &ids) == nil &&
		slices.Contains(ids, a.ValueString()) && slices.Contains(ids, b.ValueString())
}

// nullWhenUnset plans null for an optional and computed attribute the
// configuration leaves out: of two alternatives (stage, stage_id), state
// holds only the one the configuration sets.
type nullWhenUnset struct{}

func (nullWhenUnset) Description(context.Context) string {
	return "Null when the configuration leaves it out."
}

func (m nullWhenUnset) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (nullWhenUnset) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = types.StringNull()
	}
}

// keepPriorIgnoringCase keeps the prior value when the configuration's
// differs from it only in case: pipe.solar matches stage names without
// regard to case, so the change would move nothing.
type keepPriorIgnoringCase struct{}

func (keepPriorIgnoringCase) Description(context.Context) string {
	return "A change of case alone is no change."
}

func (m keepPriorIgnoringCase) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepPriorIgnoringCase) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	if strings.EqualFold(req.ConfigValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
