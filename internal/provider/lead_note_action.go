package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var _ action.ActionWithConfigure = &leadNoteAction{}

// NewLeadNoteAction returns the pipesolar_lead_note action (Terraform 1.14
// and later).
func NewLeadNoteAction() action.Action {
	return &leadNoteAction{}
}

// leadNoteAction is pipesolar_lead_note: Pipe API v1's way to log an
// activity is to set a lead's notes, which pipe.solar posts to the lead's
// activity.
type leadNoteAction struct {
	data *providerData
}

type leadNoteModel struct {
	LeadID types.String `tfsdk:"lead_id"`
	Note   types.String `tfsdk:"note"`
}

func (a *leadNoteAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lead_note"
}

func (a *leadNoteAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *leadNoteAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Posts a note to a pipe.solar lead's activity (Terraform 1.14 and later; run it with " +
			"`terraform apply -invoke=action.pipesolar_lead_note.<name>` or from a resource's `action_trigger`).\n\n" +
			"Pipe API v1 has no call that writes an activity: this action sets the lead's **notes** field " +
			"(`PATCH /leads/{id}` with `{notes}`), which pipe.solar posts to the lead's activity. It **replaces** the " +
			"lead's notes with `note`: the earlier notes stay in the activity, not in the field. A `pipesolar_lead` " +
			"that manages `notes` sets them back on its next apply (leave `notes` out of that resource when you log " +
			"with this action). Read the activity with data `pipesolar_lead_activities`.",
		Attributes: map[string]schema.Attribute{
			"lead_id": schema.StringAttribute{
				MarkdownDescription: "The lead: Pipe's id or the old 10-character reference (for example " +
					"`pipesolar_lead.example.id`).",
				Required:   true,
				Validators: []validator.String{validate.NotBlank()},
			},
			"note": schema.StringAttribute{
				MarkdownDescription: "The note: it replaces the lead's notes and is posted to the lead's activity.",
				Required:            true,
				Validators:          []validator.String{validate.NotBlank()},
			},
		},
	}
}

func (a *leadNoteAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var model leadNoteModel
	client, ok := start(ctx, a.data.PipeSolar, req.Config, &model, &resp.Diagnostics)
	if !ok {
		return
	}
	id, note := model.LeadID.ValueString(), model.Note.ValueString()
	l, err := client.UpdateLead(ctx, id, pipesolar.LeadUpdate{Notes: &note})
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("lead_id"), "Lead not found",
				fmt.Sprintf("pipe.solar has no lead %q that this API key can see (PATCH /leads/{id} answered 404); no "+
					"note was posted. Check the id, and that the key belongs to the lead's company.", id))
			return
		}
		resp.Diagnostics.Append(pipeAttrErrorDiag(path.Root("lead_id"), "Could not post the note to the pipe.solar lead", err))
		return
	}
	tflog.Info(ctx, "posted a note to a pipe.solar lead", map[string]any{"id": l.ID})
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Posted the note to lead %s's activity.", l.ID)})
	}
}
