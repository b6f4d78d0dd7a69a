package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
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
		Attributes: projectFilterAttributes(func(description string, v ...validator.String) schema.Attribute {
			return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: v}
		}),
	}
}

// errEnough stops the listing once limit results were sent, or when
// Terraform wants no more.
var errEnough = errors.New("enough results")

// List streams the projects page by page: each page's results are sent
// before the next page is read.
func (r *projectListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg projectFilterModel
	diags := req.Config.Get(ctx, &cfg)
	client, clientDiags := r.data.PipeSolar()
	diags.Append(clientDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var sent int64
		err := client.EachProjectPage(ctx, cfg.listFilter(req.Limit), func(page []pipesolar.ProjectRow) error {
			for i := range page {
				if req.Limit > 0 && sent >= req.Limit {
					return errEnough
				}
				result, err := projectListResult(ctx, client, req, &page[i])
				if transport.IsNotFound(err) {
					continue // gone since the page was listed
				}
				if err != nil {
					return err
				}
				sent++
				if !push(result) {
					return errEnough
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			var diags diag.Diagnostics
			diags.Append(pipeErrorDiag("Could not list pipe.solar projects",
				fmt.Errorf("listing %s, after %d results: %w", cfg.describe(), sent, err)))
			push(list.ListResult{Diagnostics: diags})
		}
	}
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
	who := strings.TrimSpace(deref(row.Customer.FirstName) + " " + deref(row.Customer.LastName))
	where := strings.TrimSpace(deref(row.Address.City) + " " + deref(row.Address.State))
	switch {
	case who == "":
		who = row.ID
	case where != "":
		who += ", " + where
	}
	if stage := deref(row.Stage.Name); stage != "" {
		who += " (" + stage + ")"
	}
	return who
}
