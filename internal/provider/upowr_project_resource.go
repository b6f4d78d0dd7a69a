package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/upowr"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithConfigure  = &upowrProjectResource{}
	_ resource.ResourceWithModifyPlan = &upowrProjectResource{}
)

// NewUPowrProjectResource returns the pipesolar_upowr_project resource.
func NewUPowrProjectResource() resource.Resource {
	return &upowrProjectResource{resourceBase{name: "upowr_project"}}
}

type upowrProjectResource struct{ resourceBase }

type upowrProjectModel struct {
	ID                 types.String         `tfsdk:"id"`
	Type               types.String         `tfsdk:"type"`
	ProductsOfInterest []productsOfInterest `tfsdk:"products_of_interest"`
	Customer           jsontypes.Normalized `tfsdk:"customer"`
	CustomerID         types.String         `tfsdk:"customer_id"`
	Site               jsontypes.Normalized `tfsdk:"site"`
	SiteID             types.String         `tfsdk:"site_id"`
	CustomerComments   types.String         `tfsdk:"customer_comments"`
	CustomFields       jsontypes.Normalized `tfsdk:"custom_fields"`
	PreferredDays      types.Set            `tfsdk:"preferred_days"`
	FileAssociationID  types.String         `tfsdk:"file_association_id"`
	TriggerProcess     types.Bool           `tfsdk:"trigger_process"`
	Class              types.String         `tfsdk:"class"`
	Xref               types.String         `tfsdk:"xref"`
	ContractAccepted   types.Bool           `tfsdk:"contract_accepted"`
	ContractRevision   types.String         `tfsdk:"contract_revision"`
	RejectedReason     types.String         `tfsdk:"rejected_reason"`
	ClosedBy           types.String         `tfsdk:"closed_by"`
	Timeouts           timeouts.Value       `tfsdk:"timeouts"`
}

type productsOfInterest struct {
	Solar     types.Bool `tfsdk:"solar"`
	Battery   types.Bool `tfsdk:"battery"`
	EVCharger types.Bool `tfsdk:"ev_charger"`
}

func (r *upowrProjectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	uuid := validate.UUID()
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Optional: true, Computed: true, Default: booldefault.StaticBool(false)}
	}
	// jsonArg is an optional JSON object; a change other than whitespace or
	// key order replaces the project.
	jsonArg := func(desc string, more ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc,
			CustomType:          jsontypes.NormalizedType{},
			Optional:            true,
			Validators:          append([]validator.String{validate.JSONObject()}, more...),
			PlanModifiers:       []planmodifier.String{keepSemanticallyEqualJSON{}, stringplanmodifier.RequiresReplace()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A UPowr project (`POST /projects`).\n\n" +
			"**Refresh:** UPowr has no endpoint to read a project, so refresh keeps what Terraform last wrote: changes " +
			"made in UPowr (a new class, a contract accepted or a project closed in the app) are not detected.\n\n" +
			"**Changes:** `class` and `xref` change in place (`PATCH`), `preferred_days` through the installation " +
			"preferences call, `contract_accepted`, `contract_revision` and `rejected_reason` through the contract and " +
			"reject calls; `closed_by` only matters at destroy. Every other argument replaces the project (the plan " +
			"says so), which closes the old one.\n\n" +
			"**Destroy** closes the project (`POST /projects/{id}/close` with `closed_by`); UPowr has no delete.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Project id (UUID) as UPowr assigns it."),
			"type": schema.StringAttribute{
				MarkdownDescription: "Project type: `SALES` (default) or `SERVICE`.",
				Optional:            true, Computed: true,
				Default:       stringdefault.StaticString("SALES"),
				Validators:    []validator.String{stringvalidator.OneOf("SALES", "SERVICE")},
				PlanModifiers: replaceString,
			},
			"products_of_interest": schema.ListNestedAttribute{
				MarkdownDescription: "Products the customer is interested in; at least one entry.",
				Required:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
				PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplace()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"solar":      flag("Solar panels."),
					"battery":    flag("Battery storage."),
					"ev_charger": flag("EV charger."),
				}},
			},
			"customer": jsonArg("Customer object as JSON (use `jsonencode`), for a new customer. Whitespace and key "+
				"order never show as a difference. Conflicts with `customer_id`.",
				stringvalidator.ConflictsWith(path.MatchRoot("customer_id"))),
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "Id (UUID) of an existing UPowr customer. Conflicts with `customer`.",
				Optional:            true,
				Validators:          []validator.String{uuid},
				PlanModifiers:       replaceString,
			},
			"site": jsonArg("Site object as JSON (use `jsonencode`), for a new site. Conflicts with `site_id`.",
				stringvalidator.ConflictsWith(path.MatchRoot("site_id"))),
			"site_id": schema.StringAttribute{
				MarkdownDescription: "Id (UUID) of an existing site. Requires `customer_id`; conflicts with `site`.",
				Optional:            true,
				Validators:          []validator.String{uuid, stringvalidator.AlsoRequires(path.MatchRoot("customer_id"))},
				PlanModifiers:       replaceString,
			},
			"customer_comments": schema.StringAttribute{
				MarkdownDescription: "Free-text comments from the customer.",
				Optional:            true,
				PlanModifiers:       replaceString,
			},
			"custom_fields": jsonArg("Custom fields as a JSON object (use `jsonencode`)."),
			"preferred_days": schema.SetAttribute{
				MarkdownDescription: "Days the customer prefers for the installation: whole numbers 0–6, 0 = Sunday. Changes in place.",
				ElementType:         types.Int64Type,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueInt64sAre(int64validator.Between(0, 6))},
			},
			"file_association_id": schema.StringAttribute{
				MarkdownDescription: "Links files uploaded with `pipesolar_upowr_file` under the same id to the new project. " +
					"Refer to the file resource's attribute so the upload happens first.",
				Optional:      true,
				Validators:    []validator.String{validate.NotBlank()},
				PlanModifiers: replaceString,
			},
			"trigger_process": schema.BoolAttribute{
				MarkdownDescription: "Start UPowr's process for an existing customer and site. Default `false`.",
				Optional:            true, Computed: true,
				Default:       booldefault.StaticBool(false),
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"class": schema.StringAttribute{
				MarkdownDescription: "Class of the project. Changes in place.",
				Optional:            true,
			},
			"xref": schema.StringAttribute{
				MarkdownDescription: "External reference (for example your CRM's id). Changes in place.",
				Optional:            true,
			},
			"contract_accepted": schema.BoolAttribute{
				MarkdownDescription: "Whether the contract is accepted. Changing it from `false` to `true` accepts the " +
					"contract; an accepted contract cannot be un-accepted (a plan from `true` to `false` is an error). Default `false`.",
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(false),
			},
			"contract_revision": schema.StringAttribute{
				MarkdownDescription: "Any label of the contract's version. Changing it while `contract_accepted` is `true` " +
					"accepts the revised contract again (`re_accept=true`).",
				Optional: true,
			},
			"rejected_reason": schema.StringAttribute{
				MarkdownDescription: "Setting it rejects the project with this reason. Rejection is final: changing or " +
					"removing the reason afterwards is a plan-time error.",
				Optional:   true,
				Validators: []validator.String{validate.NotBlank()},
			},
			"closed_by": schema.StringAttribute{
				MarkdownDescription: "Who closes the project when the resource is destroyed (`closedBy`). Changing it only updates state.",
				Optional:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *upowrProjectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state upowrProjectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.ContractAccepted.ValueBool() && !plan.ContractAccepted.IsUnknown() && !plan.ContractAccepted.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("contract_accepted"), "An accepted contract cannot be un-accepted",
			"The contract of this project was accepted, and UPowr has no call to withdraw an acceptance. Set "+
				"contract_accepted back to true. To accept a revised contract, change contract_revision instead.")
	}
	if !state.RejectedReason.IsNull() && !plan.RejectedReason.Equal(state.RejectedReason) {
		resp.Diagnostics.AddAttributeError(path.Root("rejected_reason"), "A rejected project stays rejected",
			fmt.Sprintf("This project was rejected with reason %q; UPowr cannot change or undo a rejection. Set "+
				"rejected_reason back to that value, or replace the project (terraform apply -replace=...), which closes "+
				"this one and creates a new project.", state.RejectedReason.ValueString()))
	}
}

// createInput builds the POST /projects body.
func (m *upowrProjectModel) createInput(ctx context.Context) (upowr.CreateProjectInput, error) {
	in := upowr.CreateProjectInput{
		Type:              m.Type.ValueString(),
		FileAssociationID: m.FileAssociationID.ValueString(),
		CustomerComments:  m.CustomerComments.ValueString(),
		CustomerID:        m.CustomerID.ValueString(),
		SiteID:            m.SiteID.ValueString(),
		TriggerProcess:    m.TriggerProcess.ValueBool(),
	}
	for _, p := range m.ProductsOfInterest {
		in.ProductsOfInterest = append(in.ProductsOfInterest, upowr.ProductsOfInterest{
			Solar: p.Solar.ValueBool(), Battery: p.Battery.ValueBool(), EVCharger: p.EVCharger.ValueBool(),
		})
	}
	for _, j := range []struct {
		v   jsontypes.Normalized
		dst *json.RawMessage
	}{{m.Customer, &in.Customer}, {m.Site, &in.Site}, {m.CustomFields, &in.CustomFields}} {
		if !j.v.IsNull() && !j.v.IsUnknown() {
			*j.dst = json.RawMessage(j.v.ValueString())
		}
	}
	days, err := m.days(ctx)
	if err != nil {
		return in, err
	}
	if len(days) > 0 {
		in.Preferences = &upowr.Preferences{CustomerPreferredDays: days}
	}
	return in, nil
}

// days returns preferred_days sorted.
func (m *upowrProjectModel) days(ctx context.Context) ([]int, error) {
	if m.PreferredDays.IsNull() || m.PreferredDays.IsUnknown() {
		return nil, nil
	}
	var raw []int64
	if diags := m.PreferredDays.ElementsAs(ctx, &raw, false); diags.HasError() {
		return nil, fmt.Errorf("reading preferred_days: %v", diags)
	}
	out := make([]int, len(raw))
	for i, d := range raw {
		out[i] = int(d)
	}
	sort.Ints(out)
	return out, nil
}

// begin starts Create, Update and Delete: it reads m from a plan or a
// state, and returns the UPowr client and ctx limited by the timeout which
// picks from m's timeouts block. ok is false, and nothing is to cancel, when
// diags holds an error.
func (r *upowrProjectResource) begin(ctx context.Context, from valueSource, m *upowrProjectModel, which timeoutOf,
	diags *diag.Diagnostics) (*upowr.Client, context.Context, context.CancelFunc, bool) {
	client, ok := start(ctx, r.data.UPowr, from, m, diags)
	if !ok {
		return nil, ctx, nil, false
	}
	ctx, cancel, ok := withTimeout(ctx, m.Timeouts, which, defaultProjectTimeout, diags)
	return client, ctx, cancel, ok
}

func (r *upowrProjectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan upowrProjectModel
	client, ctx, cancel, ok := r.begin(ctx, req.Plan, &plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in, err := plan.createInput(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Invalid UPowr project", err.Error())
		return
	}
	id, err := client.CreateProject(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError("Could not create UPowr project", upowrErrorDetail(err))
		return
	}
	tflog.Info(ctx, "created UPowr project", map[string]any{"id": id})
	plan.ID = types.StringValue(id)

	// The follow-up calls set what POST /projects cannot. If one fails, the
	// project exists and must stay in state, as planned (anything else would
	// taint it, and a replacement closes it and creates another). What was
	// not done is recorded in private state; the next refresh shows it, so
	// the next plan finishes the job in place.
	steps := []struct {
		key  string
		name string
		run  func() error
	}{
		{pendingClassXref, "set class and xref", func() error {
			if plan.Class.IsNull() && plan.Xref.IsNull() {
				return nil
			}
			return client.UpdateProject(ctx, id, upowr.UpdateProjectInput{Class: plan.Class.ValueStringPointer(), Xref: plan.Xref.ValueStringPointer()})
		}},
		{pendingAccept, "accept the contract", func() error {
			if !plan.ContractAccepted.ValueBool() {
				return nil
			}
			return client.AcceptContract(ctx, id, false)
		}},
		{pendingReject, "reject the project", func() error {
			if plan.RejectedReason.IsNull() {
				return nil
			}
			return client.RejectProject(ctx, id, plan.RejectedReason.ValueString())
		}},
	}
	pending := map[string]bool{}
	for i, s := range steps {
		if err := s.run(); err != nil {
			for _, rest := range steps[i:] {
				pending[rest.key] = true
			}
			resp.Diagnostics.AddWarning("UPowr project created, but not fully configured",
				fmt.Sprintf("Project %s was created, but the call to %s failed: %s\n\nThe project is kept in state; "+
					"the next plan shows what is left to do, and terraform apply finishes it without creating another project.",
					id, s.name, upowrErrorDetail(err)))
			break
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if len(pending) > 0 {
		raw, _ := json.Marshal(pending)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, pendingKey, raw)...)
	}
}

// Private state: follow-up calls that failed after the project was created.
const (
	pendingKey       = "pending_followups"
	pendingClassXref = "class_xref"
	pendingAccept    = "accept"
	pendingReject    = "reject"
)

// Read makes no API call (UPowr has no endpoint to read a project): the
// state stays as Terraform last wrote it, except that follow-up calls that
// failed at create show as not done, so the next plan repeats them.
func (r *upowrProjectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	raw, diags := req.Private.GetKey(ctx, pendingKey)
	resp.Diagnostics.Append(diags...)
	if len(raw) == 0 {
		return
	}
	var pending map[string]bool
	if err := json.Unmarshal(raw, &pending); err != nil {
		return
	}
	var state upowrProjectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if pending[pendingClassXref] {
		state.Class, state.Xref = types.StringNull(), types.StringNull()
	}
	if pending[pendingAccept] {
		state.ContractAccepted = types.BoolValue(false)
	}
	if pending[pendingReject] {
		state.RejectedReason = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *upowrProjectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state upowrProjectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, ctx, cancel, ok := r.begin(ctx, req.Plan, &plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()

	// Each call that succeeds is recorded, so a failure part-way leaves state
	// matching UPowr.
	next := state
	next.ClosedBy, next.Timeouts, next.ContractRevision = plan.ClosedBy, plan.Timeouts, plan.ContractRevision
	fail := func(attr, what string, err error) {
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Could not "+what, fmt.Sprintf("UPowr project %s: %s", id, upowrErrorDetail(err)))
		resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
	}

	if !plan.Class.Equal(state.Class) || !plan.Xref.Equal(state.Xref) {
		in := upowr.UpdateProjectInput{}
		if !plan.Class.Equal(state.Class) {
			in.Class = clearable(plan.Class)
		}
		if !plan.Xref.Equal(state.Xref) {
			in.Xref = clearable(plan.Xref)
		}
		if err := client.UpdateProject(ctx, id, in); err != nil {
			fail("class", "update the project's class and xref", err)
			return
		}
		next.Class, next.Xref = plan.Class, plan.Xref
	}
	if !plan.PreferredDays.Equal(state.PreferredDays) {
		days, err := plan.days(ctx)
		if err == nil {
			err = client.SetInstallationPreferences(ctx, id, days)
		}
		if err != nil {
			fail("preferred_days", "set the installation preferences", err)
			return
		}
		next.PreferredDays = plan.PreferredDays
	}
	switch {
	case plan.ContractAccepted.ValueBool() && !state.ContractAccepted.ValueBool():
		if err := client.AcceptContract(ctx, id, false); err != nil {
			next.ContractRevision = state.ContractRevision
			fail("contract_accepted", "accept the contract", err)
			return
		}
	case plan.ContractAccepted.ValueBool() && !plan.ContractRevision.Equal(state.ContractRevision):
		if err := client.AcceptContract(ctx, id, true); err != nil {
			next.ContractRevision = state.ContractRevision
			fail("contract_revision", "accept the revised contract", err)
			return
		}
	}
	next.ContractAccepted = plan.ContractAccepted
	if !plan.RejectedReason.IsNull() && state.RejectedReason.IsNull() {
		if err := client.RejectProject(ctx, id, plan.RejectedReason.ValueString()); err != nil {
			fail("rejected_reason", "reject the project", err)
			return
		}
		next.RejectedReason = plan.RejectedReason
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
	// Every follow-up left over from the create is done now.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, pendingKey, nil)...)
}

// clearable sends "" for an argument removed from the configuration.
func clearable(v types.String) *string {
	s := v.ValueString()
	return &s
}

func (r *upowrProjectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state upowrProjectModel
	client, ctx, cancel, ok := r.begin(ctx, req.State, &state, timeouts.Value.Delete, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	err := client.CloseProject(ctx, id, state.ClosedBy.ValueString())
	switch {
	case err == nil:
	case upowr.IsAlreadyDone(err):
		// Rejected, replaced by a newer project for the same customer and
		// site, or closed in the app: the project is closed, as asked.
		resp.Diagnostics.AddWarning("UPowr project was already closed",
			fmt.Sprintf("Project %s was already closed in UPowr (it may have been rejected, replaced by a newer project "+
				"for the same customer and site, or closed in the UPowr app), so there was nothing left to close; "+
				"it has been removed from the Terraform state. UPowr answered: %v", id, err))
	case transport.IsNotFound(err):
		resp.Diagnostics.AddWarning("UPowr project no longer exists",
			fmt.Sprintf("Project %s does not exist in UPowr any more; it has been removed from the Terraform state. UPowr answered: %v", id, err))
	default:
		resp.Diagnostics.AddError("Could not close UPowr project",
			fmt.Sprintf("Project %s: %s", id, upowrErrorDetail(err)))
	}
}

// keepSemanticallyEqualJSON keeps the stored JSON when the configuration's
// differs only in whitespace or key order, so such an edit plans nothing
// (instead of a replacement).
type keepSemanticallyEqualJSON struct{}

func (keepSemanticallyEqualJSON) Description(context.Context) string {
	return "keeps the prior value when the new JSON is semantically equal"
}
func (m keepSemanticallyEqualJSON) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepSemanticallyEqualJSON) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	prior := jsontypes.NewNormalizedValue(req.StateValue.ValueString())
	equal, diags := prior.StringSemanticEquals(ctx, jsontypes.NewNormalizedValue(req.PlanValue.ValueString()))
	resp.Diagnostics.Append(diags...)
	if equal {
		resp.PlanValue = req.StateValue
	}
}
