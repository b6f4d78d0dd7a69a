package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

var _ list.ListResourceWithConfigure = &projectListResource{}

// NewProjectListResource returns the pipesolar_project list resource
// (Terraform 1.14 and later: `list` blocks in .tfquery.hcl files,
// `terraform query`).
func NewProjectListResource() list.ListResource {
	return &projectListResource{resourceBase{name: "project"}}
}

type projectListResource struct{ resourceBase }

func (r *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the company's pipe.solar projects (`GET /projects`) for `terraform query` " +
			"(Terraform 1.14 and later). Each result carries the project's identity (`id`) and a display name with " +
			"the customer's name; with `include_resource = true` (and with `-generate-config-out`) also the state " +
			"`pipesolar_project` would store after an import, read with `GET /projects/{id}` (one call per result).\n\n" +
			"Pages are read one at a time and results are sent as each page arrives; reading stops once `limit` " +
			"results (Terraform's default: 100) have been sent.",
		Attributes: filterAttributes("projects", listFilterAttribute),
	}
}

// List streams the projects page by page: each page's results are sent
// before the next page is read.
func (r *projectListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listRecords(ctx, r.data, "project", req, stream, (*pipesolar.Client).EachProjectPage, projectListResult)
}

// projectListResult is one result: the identity, a display name, and
// (include_resource) the state an import's read stores, built by the same
// code (projectStateFromAPI with no prior state).
func projectListResult(ctx context.Context, client *pipesolar.Client, req list.ListRequest, row *pipesolar.ProjectRow) (list.ListResult, error) {
	result := req.NewListResult(ctx)
	result.DisplayName = projectDisplayName(row)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("id"), row.ID)...)
	if !req.IncludeResource {
		return result, nil
	}
	p, err := client.GetProject(ctx, row.ID)
	if err != nil {
		return result, fmt.Errorf("reading project %s: %w", row.ID, err)
	}
	state, err := projectStateFromAPI(p, nil)
	if err != nil {
		return result, err
	}
	result.Diagnostics.Append(state.set(ctx, result.Resource)...)
	return result, nil
}

// projectDisplayName names the customer and where: "Ada Lovelace, Sunville
// CA (Proposal)"; the id when the row names nobody.
func projectDisplayName(row *pipesolar.ProjectRow) string {
	who := customerDisplayName(row.Customer, row.Address)
	if who == "" {
		who = row.ID
	}
	if stage := deref(row.Stage.Name); stage != "" {
		who += " (" + stage + ")"
	}
	return who
}
