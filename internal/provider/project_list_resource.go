package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listresourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ list.ListResourceWithConfigure        = &projectListResource{}
	_ list.ListResourceWithConfigValidators = &projectListResource{}
)

// NewProjectListResource returns the pipesolar_project list resource
// (Terraform 1.14 and later: `list` blocks in .tfquery.hcl files,
// `terraform query`).
func NewProjectListResource() list.ListResource {
	return &projectListResource{resourceBase{name: "project"}}
}

type projectListResource struct{ resourceBase }

func (r *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the pipe.solar projects of an organisation (`org_id`, `fetch_all_project`) or of an " +
			"installer (`installer_id`, `fetch_all_project_installer`), for `terraform query` (Terraform 1.14 and " +
			"later). Each result carries the project's identity (`id`) and a display name with the customer's name " +
			"and address; with `include_resource = true` (and always with `-generate-config-out`) also the state a " +
			"refresh of `pipesolar_project` would store, plus `org_id` when the filter is an organisation. The " +
			"configuration `-generate-config-out` writes leaves out `org_id` and the other arguments `fetch_project` " +
			"does not return: an import by identity cannot read them back, so with them the first plan would show " +
			"each import as a change as well.\n\n" +
			"Pages are read one at a time and results are sent as each page arrives; reading stops once `limit` " +
			"results (Terraform's default: 100) have been sent. Set `limit` in the `list` block to import more.",
		Attributes: projectFilterAttributes(func(description string) schema.Attribute {
			return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: []validator.String{validate.NotBlank()}}
		}),
	}
}

func (r *projectListResource) ListResourceConfigValidators(context.Context) []list.ConfigValidator {
	return []list.ConfigValidator{
		listresourcevalidator.ExactlyOneOf(projectFilterPaths()...),
	}
}

// errLimitReached stops the listing once limit results were sent, or when
// Terraform wants no more.
var errLimitReached = errors.New("enough results")

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
	filter := pipesolar.ListFilter{
		OrgID:       strings.TrimSpace(cfg.OrgID.ValueString()),
		InstallerID: strings.TrimSpace(cfg.InstallerID.ValueString()),
		Limit:       req.Limit,
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var sent, missing int64
		err := client.EachProjectPage(ctx, filter, func(page []pipesolar.Project) error {
			for i := range page {
				if req.Limit > 0 && sent >= req.Limit {
					return errLimitReached
				}
				p := &page[i]
				if strings.TrimSpace(p.ID) == "" {
					missing++ // no identity, so nothing to import
					continue
				}
				sent++
				if !push(projectListResult(ctx, req, filter, p)) {
					return errLimitReached
				}
			}
			if req.Limit > 0 && sent >= req.Limit {
				return errLimitReached
			}
			return nil
		})
		var diags diag.Diagnostics
		switch {
		case err != nil && !errors.Is(err, errLimitReached):
			diags.AddError("Could not list pipe.solar projects",
				fmt.Sprintf("Listing the projects of %s failed after %d results: %v%s", filter, sent, err, apiErrorAdvice(err)))
		case missing > 0:
			diags.AddWarning("Projects without an id",
				fmt.Sprintf("pipe.solar listed %d projects of %s without an id; they cannot be imported and are left out.", missing, filter))
		}
		if len(diags) > 0 {
			push(list.ListResult{Diagnostics: diags})
		}
	}
}

// projectListResult is one result: the identity, a display name, and
// (include_resource) the state a refresh would store, built by the same
// code (projectStateFromAPI), plus org_id when the filter is an org: the
// project was found in that org's listing.
func projectListResult(ctx context.Context, req list.ListRequest, filter pipesolar.ListFilter, p *pipesolar.Project) list.ListResult {
	result := req.NewListResult(ctx)
	id := strings.TrimSpace(p.ID)
	result.DisplayName = projectDisplayName(p, id)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("id"), id)...)
	if req.IncludeResource {
		state := projectStateFromAPI(p, nil)
		if filter.OrgID != "" {
			state["org_id"] = types.StringValue(filter.OrgID)
		}
		result.Diagnostics.Append(state.set(ctx, result.Resource)...)
	}
	return result
}

// projectDisplayName names the customer: "Ada Lovelace, 123 Solar St, ...
// (D4YR1VSK7K)"; the id alone when the listing names nobody.
func projectDisplayName(p *pipesolar.Project, id string) string {
	var parts []string
	for _, name := range []string{"first_name", "last_name"} {
		if s := strings.TrimSpace(p.Text(projectFieldByName()[name].api)); s != "" {
			parts = append(parts, s)
		}
	}
	who := strings.Join(parts, " ")
	if addr := strings.TrimSpace(p.Text(projectFieldByName()["address"].api)); addr != "" {
		if who != "" {
			who += ", "
		}
		who += addr
	}
	if who == "" {
		return id
	}
	return fmt.Sprintf("%s (%s)", who, id)
}
