package provider

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

// NewLeadActivitiesDataSource returns the pipesolar_lead_activities data source.
func NewLeadActivitiesDataSource() datasource.DataSource {
	return &recordListDataSource[pipesolar.LeadActivity]{
		dataSourceBase: dataSourceBase{name: "lead_activities"},
		description: "A lead's activity (`GET /leads/{id}/activities`, every page): notes, stage moves, " +
			"assignments and the rest, newest first. A lead's `notes` (the `pipesolar_lead` argument, or the action " +
			"`pipesolar_lead_note`) are posted here.",
		filter: "lead_id",
		filterAttribute: schema.StringAttribute{
			MarkdownDescription: "The lead: Pipe's id or the old 10-character reference.",
			Required:            true,
			Validators:          []validator.String{validate.NotBlank()},
		},
		list:            "activities",
		listDescription: "The activities, newest first (by `created_at`).",
		fields:          activityFields,
		read: func(c *pipesolar.Client, ctx context.Context, leadID string) ([]pipesolar.LeadActivity, error) {
			rows, err := c.ListLeadActivities(ctx, leadID)
			sortNewestFirst(rows)
			return rows, err
		},
		failed: func(err error, leadID string) diag.Diagnostic {
			if transport.IsNotFound(err) {
				return diag.NewAttributeErrorDiagnostic(path.Root("lead_id"), "Lead not found",
					fmt.Sprintf("pipe.solar has no lead %q that this API key can see (GET /leads/{id}/activities answered "+
						"404). Check the id, and that the key belongs to the lead's company.", leadID))
			}
			return pipeAttrErrorDiag(path.Root("lead_id"), "Could not read the pipe.solar lead's activity", err)
		},
	}
}

// activityFields are a row of GET /leads/{id}/activities.
var activityFields = []projectField{
	{name: "id", api: "id", kind: kindString, desc: "Pipe's id of the activity."},
	{name: "reference", api: "reference", kind: kindString,
		desc: "The old id of an activity written before 2026-10-11; null for newer ones."},
	{name: "type", api: "type", kind: kindString, desc: "`note`, `status`, `stage`, `assignment`, `share`, " +
		"`appointment`, `task`, `file`, `price`, `system` or `checklist`."},
	{name: "body", api: "body", kind: kindString, desc: "What the activity says."},
	{name: "internal", api: "internal", kind: kindBool, desc: "Whether only the company sees it."},
	{name: "customer_facing", api: "customerFacing", kind: kindBool, desc: "Whether the customer sees it."},
	{name: "reply_to", api: "replyTo", kind: kindString, desc: "Id of the activity it answers; null when none."},
	{name: "author", api: "author", kind: kindString, desc: "Who wrote it (a member, or `API key <name>`)."},
	{name: "author_id", api: "authorId", kind: kindString, desc: "Id of the member who wrote it; null when none."},
	{name: "created_at", api: "createdAt", kind: kindString, desc: "When it was written (ISO 8601, UTC)."},
}

// sortNewestFirst orders activities by created_at, newest first; rows
// without a readable time go last, each group keeping the API's order.
func sortNewestFirst(rows []pipesolar.LeadActivity) {
	at := func(a *pipesolar.LeadActivity) (time.Time, bool) {
		if a.CreatedAt == nil {
			return time.Time{}, false
		}
		t, err := time.Parse(time.RFC3339Nano, *a.CreatedAt)
		return t, err == nil
	}
	slices.SortStableFunc(rows, func(a, b pipesolar.LeadActivity) int {
		ta, oka := at(&a)
		tb, okb := at(&b)
		switch {
		case oka && okb:
			return tb.Compare(ta)
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
}
