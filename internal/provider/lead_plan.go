package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan holds pipesolar_lead's plan rules, in one pass (as
// pipesolar_project's):
//   - create: external_id left out is derived from the customer's name and
//     address (derivedExternalID), so the plan shows the id the POST sends;
//   - external_id set to another value than the lead's is an error: v1
//     cannot change it;
//   - an optional argument left out keeps its state (it is not managed); an
//     argument that only re-formats the state's value (leadText's semantic
//     equality) keeps the state's value: no update. Terraform accepts the
//     prior value planned for a configured attribute, computed or not;
//   - the parts of address and co_borrower likewise (a part left out is not
//     managed), except address.country left out when another part of the
//     address changes: pipe.solar reads it anew;
//   - read-only values keep their state, except updated_at when a PATCH will
//     be sent, and sales_rep / setter when their e-mail changes.
func (r *leadResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return // destroy (Delete warns), or nothing changes
	}
	config, diags := getLeadState(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	plan, diags := getLeadState(ctx, req.Plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		if config["external_id"].IsNull() {
			if id, ok := derivedExternalID(plan["first_name"], plan["last_name"], plan["address"]); ok {
				plan["external_id"] = leadText{StringValue: types.StringValue(id), kind: leadTrimmed}
			}
		}
		resp.Diagnostics.Append(plan.set(ctx, &resp.Plan)...)
		return
	}
	state, diags := getLeadState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	if want, ok := config["external_id"].(leadText); ok && isKnown(want) && want.ValueString() != state.text("external_id") {
		resp.Diagnostics.AddAttributeError(path.Root("external_id"), "external_id cannot change", externalIDChangeDetail(
			state.text("id"), state.text("external_id"), want.ValueString()))
		return
	}
	for _, name := range leadArgNames {
		if config[name].IsNull() {
			plan[name] = state[name]
		} else if want, ok := plan[name].(leadText); ok && isKnown(want) && isKnown(state[name]) && sameText(want, state[name]) {
			plan[name] = state[name]
		}
	}
	plan["address"] = plannedTexts(objectAttrs(config["address"]), plan["address"], state["address"], leadAddressKinds)
	plan["co_borrower"] = plannedTexts(objectAttrs(config["co_borrower"]), plan["co_borrower"], state["co_borrower"], leadPersonKinds)

	for i := range leadFields {
		if f := &leadFields[i]; isLeadResourceField(f) {
			plan[f.name] = state[f.name]
		}
	}
	if !leadChanges(plan, state).IsEmpty() {
		plan["updated_at"] = types.StringUnknown()
		for email, contact := range map[string]string{"sales_rep_email": "sales_rep", "setter_email": "setter"} {
			if !plan[email].Equal(state[email]) {
				plan[contact] = unknownValue(leadStateType().AttrTypes[contact])
			}
		}
	}
	resp.Diagnostics.Append(plan.set(ctx, &resp.Plan)...)
}

// plannedTexts is a planned object of texts (the address, the co-borrower)
// of the given kinds: each part as configured, or the state's when the
// configured one is the same as pipe.solar stores it; a part left out is
// the state's (not managed), except country when another part of the
// address changes (pipe.solar reads it from the state anew).
func plannedTexts(config map[string]attr.Value, planned, state attr.Value, kinds map[string]leadTextKind) attr.Value {
	p, s := objectAttrs(planned), objectAttrs(state)
	if config == nil || p == nil || s == nil {
		return planned
	}
	vals := make(map[string]attr.Value, len(p))
	moved := false
	for name, v := range p {
		vals[name] = v
		want, ok := config[name].(leadText)
		switch {
		case config[name].IsNull():
			vals[name] = s[name]
		case ok && isKnown(want) && isKnown(s[name]) && sameText(want, s[name]):
			vals[name] = s[name]
		}
		moved = moved || (name != "country" && !vals[name].Equal(s[name]))
	}
	if _, ok := kinds["country"]; ok && moved && config["country"].IsNull() {
		vals["country"] = leadText{StringValue: types.StringUnknown(), kind: leadCode}
	}
	return types.ObjectValueMust(objectTypeOf(kinds).AttrTypes, vals)
}

// externalIDChangeDetail says why external_id cannot change and the ways
// out.
func externalIDChangeDetail(id, have, want string) string {
	if have == "" {
		have = "(none: the lead was made without one)"
	} else {
		have = fmt.Sprintf("%q", have)
	}
	return fmt.Sprintf("Lead %s has the external id %s; the configuration sets %q. Pipe API v1 cannot change a lead's "+
		"externalId, so the provider will not plan it. Either:\n"+
		"  - keep the lead: set external_id back to its value (or remove the argument, which keeps what the lead has); or\n"+
		"  - make a new lead under the new id: remove this one from Terraform state (terraform state rm, or a removed "+
		"block with lifecycle { destroy = false }) and apply again; the old lead stays in pipe.solar (archive it in the "+
		"app), and can be imported again by its id.", id, have, want)
}
