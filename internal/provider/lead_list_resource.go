package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

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
		Attributes: filterAttributes("leads", listFilterAttribute),
	}
}

// List streams the leads page by page: each page's results are sent
// before the next page is read.
func (r *leadListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	listRecords(ctx, r.data, "lead", req, stream, (*pipesolar.Client).EachLeadPage,
		func(ctx context.Context, _ *pipesolar.Client, req list.ListRequest, l *pipesolar.Lead) (list.ListResult, error) {
			return leadListResult(ctx, req, l), nil
		})
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
	if who := customerDisplayName(l.Customer, l.Address); who != "" {
		return who
	}
	return l.ID
}
