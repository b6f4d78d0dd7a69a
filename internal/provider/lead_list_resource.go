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
)

var _ list.ListResourceWithConfigure = &leadListResource{}

// NewLeadListResource returns the pipesolar_lead list resource (Terraform
// 1.14 and later: `list` blocks in .tfquery.hcl files, `terraform query`).
func NewLeadListResource() list.ListResource {
	return &leadListResource{resourceBase{name: "lead"}}
}

type leadListResource struct{ resourceBase }

func (r *leadListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the company's pipe.solar leads (`GET /leads`) for `terraform query` (Terraform " +
			"1.14 and later). Each result carries the lead's identity (`id`) and a display name with the customer's " +
			"name; with `include_resource = true` (and with `-generate-config-out`) also the state `pipesolar_lead` " +
			"would store after an import. The listing's rows are full leads: no call per result.\n\n" +
			"Pages are read one at a time and results are sent as each page arrives; reading stops once `limit` " +
			"results (Terraform's default: 100) have been sent.",
		Attributes: leadFilterAttributes(func(description string, v ...validator.String) schema.Attribute {
			return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: v}
		}),
	}
}

// List streams the leads page by page: each page's results are sent
// before the next page is read.
func (r *leadListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
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
		err := client.EachLeadPage(ctx, cfg.listFilter(req.Limit), func(page []pipesolar.Lead) error {
			for i := range page {
				if req.Limit > 0 && sent >= req.Limit {
					return errEnough
				}
				sent++
				if !push(leadListResult(ctx, req, &page[i])) {
					return errEnough
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			var diags diag.Diagnostics
			diags.Append(pipeErrorDiag("Could not list pipe.solar leads",
				fmt.Errorf("listing %s, after %d results: %w", describeLeadFilter(cfg), sent, err)))
			push(list.ListResult{Diagnostics: diags})
		}
	}
}

// leadListResult is one result: the identity, a display name, and
// (include_resource) the state an import's read stores, built by the same
// code (leadStateFromAPI with no prior state).
func leadListResult(ctx context.Context, req list.ListRequest, l *pipesolar.Lead) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = leadDisplayName(l)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("id"), l.ID)...)
	if !req.IncludeResource {
		return result
	}
	state, err := leadStateFromAPI(l, nil)
	if err != nil {
		result.Diagnostics.AddError("Could not decode a pipe.solar lead", err.Error())
		return result
	}
	result.Diagnostics.Append(state.set(ctx, result.Resource)...)
	return result
}

// leadDisplayName names the customer and where: "Grace Hopper, Sunville
// CA"; the id when the lead names nobody.
func leadDisplayName(l *pipesolar.Lead) string {
	who := strings.TrimSpace(deref(l.Customer.FirstName) + " " + deref(l.Customer.LastName))
	where := strings.TrimSpace(deref(l.Address.City) + " " + deref(l.Address.State))
	switch {
	case who == "":
		return l.ID
	case where != "":
		who += ", " + where
	}
	return who
}
