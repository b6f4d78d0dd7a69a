package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// errEnough stops the listing once limit results were sent, or when
// Terraform wants no more.
var errEnough = errors.New("enough results")

// listRecords is the List of list pipesolar_project and list pipesolar_lead:
// it streams the company's <noun>s page by page (each page's results are
// sent before the next page is read) and stops once limit results were
// sent. eachPage is the client's paged listing
// ((*pipesolar.Client).EachProjectPage); result makes one record's result,
// and a record gone since its page was listed (404) is skipped. A failed
// listing is one error diagnostic naming the filter.
func listRecords[R any](ctx context.Context, data *providerData, noun string, req list.ListRequest, stream *list.ListResultsStream,
	eachPage func(*pipesolar.Client, context.Context, pipesolar.ListFilter, func([]R) error) error,
	result func(context.Context, *pipesolar.Client, list.ListRequest, *R) (list.ListResult, error)) {
	var cfg projectFilterModel
	diags := req.Config.Get(ctx, &cfg)
	client, clientDiags := data.PipeSolar()
	diags.Append(clientDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var sent int64
		err := eachPage(client, ctx, cfg.listFilter(req.Limit), func(page []R) error {
			for i := range page {
				if req.Limit > 0 && sent >= req.Limit {
					return errEnough
				}
				result, err := result(ctx, client, req, &page[i])
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
			diags.Append(pipeErrorDiag("Could not list pipe.solar "+noun+"s",
				fmt.Errorf("listing %s, after %d results: %w", cfg.describe(noun), sent, err)))
			push(list.ListResult{Diagnostics: diags})
		}
	}
}

// listFilterAttribute is an argument of filterAttributes in a list
// resource.
func listFilterAttribute(description string, v ...validator.String) schema.Attribute {
	return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: v}
}

// customerDisplayName names the customer and where: "Ada Lovelace,
// Sunville CA"; "" when the record names nobody.
func customerDisplayName(who pipesolar.Person, where pipesolar.Address) string {
	name := strings.TrimSpace(deref(who.FirstName) + " " + deref(who.LastName))
	place := strings.TrimSpace(deref(where.City) + " " + deref(where.State))
	if name != "" && place != "" {
		name += ", " + place
	}
	return name
}
