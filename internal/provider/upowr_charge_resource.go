package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/upowr"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var _ resource.ResourceWithConfigure = &upowrChargeResource{}

// upowrChargeTypes are the charge types UPowr accepts.
var upowrChargeTypes = []string{"Cash", "Financing", "Credit card", "Bank transfer"}

// NewUPowrChargeResource returns the pipesolar_upowr_charge resource.
func NewUPowrChargeResource() resource.Resource {
	return &upowrChargeResource{resourceBase: resourceBase{name: "upowr_charge"}}
}

// upowrChargeResource records a charge (a payment) on a UPowr project.
// UPowr can create and delete charges but not read or change them, so every
// argument replaces the charge and refresh keeps the state as written.
type upowrChargeResource struct {
	resourceBase
	stateKept   // Read: UPowr cannot read a charge, so a change made in UPowr is not detected
	replaceOnly // Update: every argument replaces; processed_at spellings of the same instant keep the state
}

// upowrChargeModel is the resource's state.
type upowrChargeModel struct {
	ID            types.String `tfsdk:"id"`
	ProjectID     types.String `tfsdk:"project_id"`
	Amount        types.Int64  `tfsdk:"amount"`
	Type          types.String `tfsdk:"type"`
	Description   types.String `tfsdk:"description"`
	PaidBy        types.String `tfsdk:"paid_by"`
	ExternalLinks types.List   `tfsdk:"external_links"`
	ProcessedAt   types.String `tfsdk:"processed_at"`
}

// chargeInput builds the POST /projects/{id}/charges body.
func (m *upowrChargeModel) chargeInput(ctx context.Context) (upowr.ChargeInput, error) {
	in := upowr.ChargeInput{
		Amount:      m.Amount.ValueInt64(),
		Type:        m.Type.ValueString(),
		Description: m.Description.ValueString(),
		PaidBy:      m.PaidBy.ValueString(),
		ProcessedAt: m.ProcessedAt.ValueString(),
	}
	if !m.ExternalLinks.IsNull() && !m.ExternalLinks.IsUnknown() {
		if diags := m.ExternalLinks.ElementsAs(ctx, &in.ExternalLinks, false); diags.HasError() {
			return in, fmt.Errorf("reading external_links: %v", diags)
		}
	}
	return in, nil
}

func (r *upowrChargeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A charge (a payment received) on a UPowr project (`POST /projects/{projectId}/charges`).\n\n" +
			"UPowr can create and delete a charge but has no call to read or change one, so:\n\n" +
			"* **Create** sends one request. It is never repeated once the request may have reached UPowr (a dropped " +
			"connection, a timeout, HTTP 500/502/504), because a repeat could record the payment twice; the error then " +
			"says the charge may have been created and how to check. HTTP 429 and 503 (not processed) are retried.\n" +
			"* **Changing any argument** replaces the charge: the old charge is deleted first, then the new one is " +
			"created. A `processed_at` written differently but meaning the same instant (`2026-01-02T03:04:05Z` vs " +
			"`2026-01-02T03:04:05+00:00`) is not a change.\n" +
			"* **Refresh** keeps the state exactly as Terraform last wrote it and makes no API call: a charge changed " +
			"or deleted in UPowr is not detected, and the plan shows no difference for it. If a charge was deleted in " +
			"UPowr, `terraform apply -replace=<address>` records it again.\n" +
			"* **Destroy** deletes the charge (`DELETE /projects/{projectId}/charges/{chargeId}`); a charge or project " +
			"UPowr no longer knows (HTTP 404) counts as deleted.\n\n" +
			"There is no import: UPowr cannot look a charge up.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Charge id (UUID) as UPowr assigns it."),
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Id (UUID) of the UPowr project the charge belongs to, for example " +
					"`pipesolar_upowr_project.example.id`. Changing it replaces the charge.",
				Required:      true,
				Validators:    []validator.String{validate.UUID()},
				PlanModifiers: replaceString,
			},
			"amount": schema.Int64Attribute{
				MarkdownDescription: "Amount in whole cents, at least 1 (`10000` is 100.00). Changing it replaces the charge.",
				Required:            true,
				Validators:          []validator.Int64{int64validator.AtLeast(1)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"type": schema.StringAttribute{
				MarkdownDescription: "How it was paid: `Cash`, `Financing`, `Credit card` or `Bank transfer`. Changing it replaces the charge.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(upowrChargeTypes...)},
				PlanModifiers:       replaceString,
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description, for example `Deposit`. Changing it replaces the charge.",
				Optional:            true,
				PlanModifiers:       replaceString,
			},
			"paid_by": schema.StringAttribute{
				MarkdownDescription: "Who paid (`paid_by`), for example `Customer`; not empty or blank. Changing it replaces the charge.",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
				PlanModifiers:       replaceString,
			},
			"external_links": schema.ListAttribute{
				MarkdownDescription: "Links to documents about the payment (receipts, invoices); each an absolute " +
					"`http(s)` URL. Changing them replaces the charge.",
				ElementType:   types.StringType,
				Optional:      true,
				Validators:    []validator.List{listvalidator.ValueStringsAre(validate.HTTPURL())},
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
			},
			"processed_at": schema.StringAttribute{
				MarkdownDescription: "When the payment was processed, as an RFC 3339 date-time (`2026-01-02T15:04:05Z`). " +
					"When not set, the provider records the time of the create (UTC, whole seconds), sends it, and keeps " +
					"it: later plans do not change it, and removing the argument keeps the recorded time. A replacement " +
					"caused by another argument records the time of the replacement. A different spelling of the same " +
					"instant (another time zone offset, `+00:00` for `Z`) is not a change; any other change replaces the charge.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validate.RFC3339()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					upowrSameInstant{},
					stringplanmodifier.RequiresReplace(),
				},
			},
		},
	}
}

func (r *upowrChargeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan upowrChargeModel
	client, ok := start(ctx, r.data.UPowr, req.Plan, &plan, &resp.Diagnostics)
	if !ok {
		return
	}
	if plan.ProcessedAt.IsNull() || plan.ProcessedAt.IsUnknown() {
		plan.ProcessedAt = types.StringValue(time.Now().UTC().Truncate(time.Second).Format(time.RFC3339))
	}
	in, err := plan.chargeInput(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not build the UPowr charge", err.Error())
		return
	}
	projectID := plan.ProjectID.ValueString()
	id, err := client.CreateCharge(ctx, projectID, in)
	if err != nil {
		var amb *upowr.AmbiguousWriteError
		switch {
		case errors.As(err, &amb):
			resp.Diagnostics.AddError("UPowr charge may have been created",
				fmt.Sprintf("Charge of %d cents on project %s: %v\n\nIf UPowr recorded it, it is not in Terraform state: "+
					"delete it in UPowr before applying again, or the payment is recorded twice.",
					in.Amount, projectID, err))
		case transport.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("project_id"), "UPowr project not found",
				fmt.Sprintf("UPowr has no project with id %q, so the charge could not be recorded: %v", projectID, err))
		default:
			resp.Diagnostics.AddError("Could not create UPowr charge",
				fmt.Sprintf("Charge on project %s: %s", projectID, upowrErrorDetail(err)))
		}
		return
	}
	plan.ID = types.StringValue(id)
	tflog.Debug(ctx, "created UPowr charge", map[string]any{"project_id": projectID, "charge_id": id})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *upowrChargeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state upowrChargeModel
	client, ok := start(ctx, r.data.UPowr, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	err := client.DeleteCharge(ctx, state.ProjectID.ValueString(), state.ID.ValueString())
	if upowr.IsAlreadyDone(err) {
		tflog.Info(ctx, "UPowr charge already gone", map[string]any{"charge_id": state.ID.ValueString(), "error": err.Error()})
		resp.Diagnostics.AddWarning("UPowr charge was already deleted",
			fmt.Sprintf("Charge %s on project %s was already deleted in UPowr, so there was nothing left to delete; "+
				"it has been removed from the Terraform state. UPowr answered: %v", state.ID.ValueString(), state.ProjectID.ValueString(), err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not delete UPowr charge",
			fmt.Sprintf("Charge %s on project %s: %s", state.ID.ValueString(), state.ProjectID.ValueString(), upowrErrorDetail(err)))
	}
}

// upowrSameInstant keeps the prior state value of an RFC 3339 attribute when
// the configuration spells the same instant differently, so a formatting-only
// edit plans no change (and no replacement). It must come before
// RequiresReplace.
type upowrSameInstant struct{}

func (upowrSameInstant) Description(context.Context) string {
	return "A date-time that is the same instant as the current one is not a change."
}

func (m upowrSameInstant) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (upowrSameInstant) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() ||
		req.PlanValue.Equal(req.StateValue) {
		return
	}
	prior, err1 := time.Parse(time.RFC3339Nano, req.StateValue.ValueString())
	planned, err2 := time.Parse(time.RFC3339Nano, req.PlanValue.ValueString())
	if err1 == nil && err2 == nil && prior.Equal(planned) {
		resp.PlanValue = req.StateValue
	}
}
