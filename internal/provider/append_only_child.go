package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// appendOnlyChild is what pipesolar_activity and pipesolar_project_file, the
// two append-only children of a project, share: pipe.solar can neither read,
// change nor delete what they create, so every argument replaces, refresh
// only checks that the parent project still exists, and destroy removes the
// resource from state with a warning. Each adds its Schema and Create.
type appendOnlyChild struct {
	resourceBase
	stateOnlyDestroy
	replaceOnly
}

// randomResourceID returns 16 random bytes in hex, for resources whose API
// returns no id.
func randomResourceID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Read checks the only remote trace the resource has, its parent project: a
// project that is gone removes the resource from state; any other failure is
// an error and the state is kept.
func (c *appendOnlyChild) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	typeName := "pipesolar_" + c.name
	client, diags := c.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var projectID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("project_id"), &projectID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := projectID.ValueString()
	if _, err := client.GetProject(ctx, id); err != nil {
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar project no longer exists; removing "+typeName+" from state", map[string]any{"project_id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Could not check that the pipe.solar project still exists",
			fmt.Sprintf("Refreshing %s reads its project: %s", typeName, apiErrorDetail(err, id)))
	}
}

// createChildError explains a failed create of an activity note or a file
// upload. An ambiguous write (the request may have been carried out) keeps
// the client's full message, which says how to check.
func createChildError(err error, summary, ambiguousSummary, endpoint, projectID string) diag.Diagnostics {
	var diags diag.Diagnostics
	var ambiguous *pipesolar.AmbiguousWriteError
	switch {
	case errors.As(err, &ambiguous):
		diags.AddError(ambiguousSummary, fmt.Sprintf("Project %q: %s", projectID, ambiguous.Error()))
	case transport.IsNotFound(err):
		diags.AddAttributeError(path.Root("project_id"), "Project not found",
			fmt.Sprintf("pipe.solar has no project with id %q (POST %s answered: %v). Check the id in the pipe.solar app.",
				projectID, endpoint, err))
	default:
		diags.AddError(summary, fmt.Sprintf("POST %s: %s", endpoint, apiErrorDetail(err, projectID)))
	}
	return diags
}
