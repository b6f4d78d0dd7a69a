package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

var (
	_ resource.ResourceWithConfigure   = &leadResource{}
	_ resource.ResourceWithImportState = &leadResource{}
	_ resource.ResourceWithModifyPlan  = &leadResource{}
	_ resource.ResourceWithIdentity    = &leadResource{}
)

// NewLeadResource returns the pipesolar_lead resource.
func NewLeadResource() resource.Resource {
	return &leadResource{
		resourceBase: resourceBase{name: "lead"},
		stateOnlyDestroy: stateOnlyDestroy{
			summary: "pipe.solar lead left as it is",
			detail: "Lead %s was removed from Terraform state only: it is untouched in pipe.solar. Pipe API v1 cannot " +
				"delete a lead; archive it in the pipe.solar app if it should go.",
			attrs: []string{"id"},
		},
	}
}

// leadResource is pipesolar_lead. Its schema is in lead_schema.go, the
// mapping from v1's lead in lead_state.go, its plan rules in lead_plan.go.
// Destroy is stateOnlyDestroy's Delete (one warning, at apply: the
// resource's own ModifyPlan replaces the destroy plan's).
type leadResource struct {
	resourceBase
	stateOnlyDestroy
}

// Metadata declares the identity mutable: an import by the old reference
// reads Pipe's id.
func (r *leadResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.resourceBase.Metadata(ctx, req, resp)
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *leadResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = leadResourceSchema(ctx)
}

func (r *leadResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = leadIdentitySchema()
}

// Create posts the lead with its externalId (the configured one, else
// derivedExternalID), then settles it: a lead that already had this
// externalId (200, created: false: a retried or repeated create, or another
// apply's) is adopted and changed where it differs from the plan. A lead
// made is stored even when the apply then fails (an e-mail left unassigned
// or refused): it is never made twice.
func (r *leadResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, ctx, cancel, ok := beginWrite[leadKind](ctx, r.data, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	externalID := plan.text("external_id")
	if !plan.known("external_id") {
		externalID, _ = derivedExternalID(plan["first_name"], plan["last_name"], plan["address"])
	}
	in := pipesolar.LeadCreate{
		FirstName: plan.text("first_name"), LastName: plan.text("last_name"), Address: leadAddressInput(plan["address"]),
		Email: plan.text("email"), Phone: plan.text("phone"), SalesRepEmail: plan.text("sales_rep_email"),
		SetterEmail: plan.text("setter_email"), Notes: plan.text("notes"), ExternalID: externalID,
	}
	created, err := client.CreateLead(ctx, in)
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not create the pipe.solar lead", err))
		return
	}
	id := created.LeadID
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)
	tflog.Info(ctx, "created pipe.solar lead", map[string]any{"id": id, "created": created.Created, "external_id": externalID})

	lead := r.settle(ctx, client, created, externalID, plan, &resp.Diagnostics)
	if lead == nil {
		return
	}
	r.store(ctx, lead, plan, &resp.State, &resp.Diagnostics)
	if created.Created && len(created.Unassigned) > 0 {
		r.unassignedError(id, plan, created.Unassigned, &resp.Diagnostics)
	}
}

// settle makes the lead POST /leads answered what plan says, and returns it
// as it then reads (nil, with an error in diags, when it cannot be read). A
// new lead gets its co-borrower with a PATCH, whose answer is the lead (POST
// /leads takes none); a lead that was there already (created: false: v1
// ignored the rest of the body) is read, and changed where it differs. A
// refused PATCH is an error in diags, and the lead is returned as read.
func (r *leadResource) settle(ctx context.Context, client *pipesolar.Client, created *pipesolar.LeadCreated,
	externalID string, plan leadState, diags *diag.Diagnostics) *pipesolar.Lead {
	id := created.LeadID
	if co := objectAttrs(plan["co_borrower"]); created.Created && co != nil {
		update := pipesolar.LeadUpdate{CoBorrower: &pipesolar.CoBorrowerUpdate{FirstName: textOf(co["first_name"]),
			LastName: textOf(co["last_name"]), Email: textOf(co["email"]), Phone: textOf(co["phone"])}}
		lead, err := client.UpdateLead(ctx, id, update)
		if err == nil {
			return lead
		}
		diags.Append(leadUpdateError(path.Root("co_borrower"), "Could not set the co-borrower of the new pipe.solar lead", update, err))
	}
	lead, err := client.GetLead(ctx, id)
	if err != nil {
		diags.Append(pipeErrorDiag(fmt.Sprintf("Could not read the pipe.solar lead %s after creating it", id), err))
		return nil
	}
	if created.Created {
		return lead
	}
	current, err := leadStateFromAPI(lead, nil)
	if err != nil {
		diags.AddError("Could not decode the pipe.solar lead", err.Error())
		return nil
	}
	update := leadChanges(plan, current)
	if update.IsEmpty() {
		return lead
	}
	changed, err := client.UpdateLead(ctx, id, update)
	if err != nil {
		diags.Append(leadUpdateError(path.Empty(), fmt.Sprintf("Could not change the pipe.solar lead %s (found by its "+
			"external_id %q) to match the configuration", id, externalID), update, err))
		return lead
	}
	return changed
}

// unassignedError fails the apply for the rep and setter e-mails a new lead
// was left without.
func (r *leadResource) unassignedError(id string, plan leadState, emails []string, diags *diag.Diagnostics) {
	for _, email := range emails {
		attr := "sales_rep_email"
		if !strings.EqualFold(strings.TrimSpace(plan.text(attr)), strings.TrimSpace(email)) {
			attr = "setter_email"
		}
		diags.AddAttributeError(path.Root(attr), "E-mail is not an active member of the pipe.solar company",
			fmt.Sprintf("pipe.solar made lead %s but left it without its %s: %q is not a member who is active in the "+
				"company (POST /leads listed it as unassigned). The lead is kept in Terraform state; no second lead "+
				"will be made.\n\nUse the e-mail the member signs in to pipe.solar with, or add or reactivate the member "+
				"in the app (Settings → Team), or remove %s from the configuration; then apply again.",
				id, strings.ReplaceAll(attr, "_", " "), email, attr))
	}
}

// leadUpdateError is the diagnostic of a refused PATCH /leads/{id}: for a
// member e-mail v1 refused, attached to that argument, with what to do.
func leadUpdateError(at path.Path, summary string, u pipesolar.LeadUpdate, err error) diag.Diagnostic {
	if transport.KindOf(err) == transport.KindValidation {
		for _, e := range []struct {
			attr  string
			value *string
		}{{"sales_rep_email", u.SalesRepEmail}, {"setter_email", u.SetterEmail}} {
			if e.value != nil && *e.value != "" && strings.Contains(strings.ToLower(err.Error()), strings.ToLower(*e.value)) {
				return diag.NewAttributeErrorDiagnostic(path.Root(e.attr), "E-mail is not an active member of the pipe.solar company",
					fmt.Sprintf("pipe.solar refused %s %q: a rep or setter must be a member who is active in the company. "+
						"Nothing was changed. Use the e-mail the member signs in to pipe.solar with, or add or reactivate "+
						"the member in the app (Settings → Team), or remove %s from the configuration; then apply again.\n\n%s",
						e.attr, *e.value, e.attr, pipeErrorDetail(err)))
			}
		}
	}
	if at.Equal(path.Empty()) {
		return pipeErrorDiag(summary, err)
	}
	return pipeAttrErrorDiag(at, summary, err)
}

// store writes the state after Create or Update from lead l.
func (r *leadResource) store(ctx context.Context, l *pipesolar.Lead, plan leadState, to *tfsdk.State, diags *diag.Diagnostics) {
	next, err := leadStateFromAPI(l, plan)
	if err != nil {
		diags.AddError("Could not decode the pipe.solar lead", err.Error())
		return
	}
	diags.Append(next.set(ctx, to)...)
}

func (r *leadResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client, diags := r.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	prior, diags := getLeadState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := prior.text("id")
	ctx, cancel, ok := withTimeout(ctx, prior.timeouts(), timeouts.Value.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	l, err := r.readLead(ctx, client, id)
	if err != nil {
		// The framework refuses a Read without identity, even when gone.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar lead no longer exists; removing it from state", map[string]any{"id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(pipeErrorDiag(fmt.Sprintf("Could not read pipe.solar lead %s", id), err))
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", l.ID)...)
	next, err := leadStateFromAPI(l, prior)
	if err != nil {
		resp.Diagnostics.AddError("Could not decode the pipe.solar lead", err.Error())
		return
	}
	resp.Diagnostics.Append(next.set(ctx, &resp.State)...)
}

// Update sends what changed in one PATCH, whose answer is the lead as it
// now reads. A refused PATCH changes nothing: the state stays as it was.
func (r *leadResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	state, diags := getLeadState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	client, plan, ctx, cancel, ok := beginWrite[leadKind](ctx, r.data, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.text("id")
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)

	update := leadChanges(plan, state)
	if update.IsEmpty() {
		// Nothing for pipe.solar (timeouts, or a required name only
		// re-formatted): ModifyPlan left no value unknown.
		resp.Diagnostics.Append(plan.set(ctx, &resp.State)...)
		return
	}
	l, err := client.UpdateLead(ctx, id, update)
	if err != nil {
		resp.State.Raw = req.State.Raw.Copy()
		resp.Diagnostics.Append(leadUpdateError(path.Empty(), fmt.Sprintf("Could not change pipe.solar lead %s", id), update, err))
		return
	}
	r.store(ctx, l, plan, &resp.State, &resp.Diagnostics)
}

// ImportState takes a lead id (Pipe's id or the old reference) from the
// import id or the identity; the read that follows fills everything.
func (r *leadResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, "id")
	if id == "" {
		resp.Diagnostics.AddError("Invalid import id", "Import a pipe.solar lead by its id (or its old 10-character "+
			"reference), for example `terraform import pipesolar_lead.example lead_7f3a`, or an `import` block with "+
			"`id = \"lead_7f3a\"` or (Terraform 1.12 and later) `identity = { id = \"lead_7f3a\" }`.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)
}
