package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// projectStateUpgraders upgrades pipesolar_project states of older schema
// versions: version 0 is provider 1.x's, written against the retired API.
func projectStateUpgraders(context.Context) map[int64]resource.StateUpgrader {
	prior := projectSchemaV0()
	return map[int64]resource.StateUpgrader{0: {PriorSchema: &prior, StateUpgrader: upgradeProjectV0}}
}

// upgradeProjectV0 carries a 1.x project over: its id (the old UID, which
// Pipe API v1 still resolves) becomes project_id and id, project_stage
// becomes stage, and everything else is null until refresh reads the
// project from v1 (the 1.x create arguments are no arguments any more).
func upgradeProjectV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var id, stage types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("project_stage"), &stage)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if id.ValueString() == "" {
		resp.Diagnostics.AddError("Cannot upgrade pipesolar_project state",
			"The provider 1.x state of this pipesolar_project has no id, so the project cannot be found in Pipe API v1. "+
				"Remove it from state (terraform state rm, or a removed block) and adopt the project again by its id.")
		return
	}
	resp.State.Raw = tftypes.NewValue(resp.State.Schema.Type().TerraformType(ctx), nil)
	for name, v := range map[string]attr.Value{"id": id, "project_id": id, "stage": stage} {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}

// projectSchemaV0 is pipesolar_project's schema in provider 1.x (schema
// version 0, commit 157d297), frozen: it reads 1.x state. Only the
// attributes' names and types matter here.
func projectSchemaV0() schema.Schema {
	attrs := map[string]schema.Attribute{
		"secondary_customer": schema.SingleNestedAttribute{Computed: true, Attributes: map[string]schema.Attribute{
			"email":        schema.StringAttribute{Computed: true},
			"first_name":   schema.StringAttribute{Computed: true},
			"last_name":    schema.StringAttribute{Computed: true},
			"phone_number": schema.StringAttribute{Computed: true},
		}},
		"file_urls": schema.MapAttribute{Computed: true, ElementType: types.StringType},
	}
	for _, name := range []string{"address", "email", "financing_type", "first_name", "inverter_profile_id", "last_name",
		"org_id", "panel_profile_id", "phone_number", "project_stage", "sales_rep", "setter"} {
		attrs[name] = schema.StringAttribute{Optional: true, Computed: true}
	}
	for _, name := range []string{"battery_name", "contract_signed_date", "contract_url", "customer_city",
		"customer_state", "customer_street", "customer_zip", "finance_company", "id", "inverter_name", "panel_model",
		"project_site_id", "project_url", "proposal_url", "sales_rep_email", "sales_rep_name", "sales_rep_phone",
		"setter_email", "setter_name", "setter_phone", "site_surveyor_name", "sub_contractor_name", "submitted_date"} {
		attrs[name] = schema.StringAttribute{Computed: true}
	}
	for _, name := range []string{"adder_ppw", "annual_production", "apr", "base_ppw", "consumption", "escalator_rate",
		"final_ppw", "inverter_count", "lease_ppa_rate", "panel_count", "pre_itc_payment", "system_cost", "system_size",
		"term_years"} {
		attrs[name] = schema.NumberAttribute{Optional: true, Computed: true}
	}
	for _, name := range []string{"adders_cost", "finance_amount", "number_of_battery"} {
		attrs[name] = schema.NumberAttribute{Computed: true}
	}
	for _, name := range []string{"adders", "site_survey_photos"} {
		attrs[name] = schema.ListAttribute{Optional: true, Computed: true, ElementType: types.StringType}
	}
	return schema.Schema{
		Attributes: attrs,
		Blocks: map[string]schema.Block{"timeouts": schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{
			"create": schema.StringAttribute{Optional: true},
			"read":   schema.StringAttribute{Optional: true},
			"update": schema.StringAttribute{Optional: true},
		}}},
	}
}
