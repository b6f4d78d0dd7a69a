package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
)

// ModifyPlan holds pipesolar_project's plan rules, one pass over
// projectFields (per-attribute plan modifiers would cost the framework a
// schema walk per attribute per resource):
//   - create: the arguments create_project requires are set;
//   - update: values Terraform left unknown keep their stored value (the id,
//     read-only attributes, arguments the configuration does not set); a
//     value the same to pipe.solar as the stored one (case, padding, 8.5 vs
//     8.50) keeps the stored one, so nothing is planned; project_stage may
//     change; an argument pipe.solar does not return and that state lacks
//     (after an import) is recorded from the configuration; any other
//     change is an error that says what to do, never a replacement.
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		// Destroy (Delete says what it does), or nothing changes: the common
		// case in a refresh plan, and decoding three values is not free.
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
		// Create: the API's required fields are checked here, so the schema
		// can keep them optional for import and generated configuration.
		for i := range projectFields {
			if f := &projectFields[i]; f.required && config[f.name].IsNull() {
				resp.Diagnostics.AddAttributeError(path.Root(f.name), "Missing required argument",
					fmt.Sprintf("The argument %q is required to create a pipe.solar project.", f.name))
			}
		}
		return
	}
	state, diags := getProjectState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	plan["id"] = state["id"]
	stageChanges := false
	var adopted []string
	for i := range projectFields {
		f := &projectFields[i]
		if !f.arg {
			continue
		}
		if config[f.name].IsNull() && plan[f.name].IsUnknown() {
			plan[f.name] = state[f.name]
		}
		planned, current := plan[f.name], state[f.name]
		switch {
		case f.sameValue(planned, current):
			// Only formatting differs: keep the stored value so nothing is
			// planned.
			plan[f.name] = current
		case f.mutable:
			stageChanges = true
		case planned.IsUnknown():
			resp.Diagnostics.AddAttributeError(path.Root(f.name), "Value unknown until apply",
				fmt.Sprintf("%s depends on a value that is known only during apply, so the provider cannot check that it "+
					"does not change, and pipe.solar cannot change it on an existing project (current value: %s). "+
					"Use a value known at plan time.", f.name, display(current)))
		case current.IsNull() && !f.returned():
			// After an import: pipe.solar cannot return this argument, so
			// the configuration's value is recorded without an API call.
			adopted = append(adopted, f.name)
		default:
			resp.Diagnostics.AddAttributeError(path.Root(f.name), "Cannot change "+f.name+" of an existing project",
				fmt.Sprintf("pipe.solar can change only project_stage of an existing project; it has no API to change %s.\n\n"+
					"  current value: %s\n  configuration: %s\n\n"+
					"To resolve, do one of:\n"+
					"  1. change the configuration back to the current value;\n"+
					"  2. ignore the difference: lifecycle { ignore_changes = [%s] };\n"+
					"  3. create a new project with `terraform apply -replace=<this resource's address>`. The old project "+
					"is not deleted: pipe.solar has no delete API, so remove it in the app.",
					f.name, display(current), display(planned), f.name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	for i := range projectFields {
		if f := &projectFields[i]; !f.arg {
			if stageChanges {
				// Values pipe.solar derives from the stage (contract dates,
				// ...) are read again after the change.
				plan[f.name] = f.unknown()
			} else {
				plan[f.name] = state[f.name]
			}
		}
	}
	if len(adopted) > 0 {
		resp.Diagnostics.AddWarning("Arguments recorded from configuration",
			fmt.Sprintf("pipe.solar does not return %s, so they are recorded in state from the configuration without "+
				"calling the API (as after an import). Make sure they match the project in pipe.solar.", strings.Join(adopted, ", ")))
	}
	resp.Diagnostics.Append(plan.set(ctx, &resp.Plan)...)
}

// display renders a value for an error message.
func display(v attr.Value) string {
	switch {
	case v.IsNull():
		return "(not set)"
	case v.IsUnknown():
		return "(known after apply)"
	}
	switch tv := v.(type) {
	case types.Number:
		return customtypes.FormatDecimal(tv.ValueBigFloat())
	case types.String:
		return strconv.Quote(tv.ValueString())
	}
	return v.String()
}

// nonNegativeNumber rejects negative numbers.
type nonNegativeNumber struct{}

func (nonNegativeNumber) Description(context.Context) string { return "value must be zero or more" }
func (nonNegativeNumber) MarkdownDescription(context.Context) string {
	return "value must be zero or more"
}

func (nonNegativeNumber) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.ValueBigFloat().Sign() < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number",
			fmt.Sprintf("%s must be zero or more, got %s.", req.Path, customtypes.FormatDecimal(req.ConfigValue.ValueBigFloat())))
	}
}
