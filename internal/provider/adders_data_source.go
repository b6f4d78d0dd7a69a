package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewAddersDataSource returns the pipesolar_adders data source.
func NewAddersDataSource() datasource.DataSource {
	return &recordListDataSource[pipesolar.CatalogueAdder]{
		dataSourceBase: dataSourceBase{name: "adders"},
		description: "The installer's active adders and Home Improvement products (`GET /adders`). Needs " +
			"the installer company's key (a dealer's key is refused).",
		list:            "adders",
		listDescription: "The adders, in the installer's order.",
		fields:          catalogueAdderFields,
		read: func(c *pipesolar.Client, ctx context.Context, _ string) ([]pipesolar.CatalogueAdder, error) {
			return c.ListAdders(ctx)
		},
		failed: func(err error, _ string) diag.Diagnostic {
			return pipeErrorDiag("Could not read the pipe.solar adders", err)
		},
	}
}

// catalogueAdderFields are a row of GET /adders (v1's Adder).
var catalogueAdderFields = []projectField{
	{name: "id", api: "id", kind: kindString, desc: "Id of the adder."},
	{name: "name", api: "name", kind: kindString, desc: "Name."},
	{name: "description", api: "description", kind: kindString, desc: "Description; null when none."},
	{name: "product_line", api: "productLine", kind: kindString, desc: "`solar` or `hi` (Home Improvement)."},
	{name: "product_kind", api: "productKind", kind: kindString, desc: "Kind of Home Improvement product; null for solar adders."},
	{name: "unit", api: "unit", kind: kindString, desc: "What the price is per, for example `perWatt`."},
	{name: "unit_price", api: "unitPrice", kind: kindNumber, desc: "Price per unit (dollars per watt for a `perWatt` adder)."},
	{name: "tiered", api: "tiered", kind: kindBool, desc: "Whether the price is tiered."},
	{name: "rep_sponsored", api: "repSponsored", kind: kindBool, desc: "Whether the sales rep pays for it."},
	{name: "show_on_proposal", api: "showOnProposal", kind: kindBool, desc: "Whether proposals show it."},
	{name: "brand", api: "brand", kind: kindString, desc: "Brand; null when none."},
	{name: "model", api: "model", kind: kindString, desc: "Model; null when none."},
	{name: "warranty_years", api: "warrantyYears", kind: kindNumber, desc: "Warranty in years; null when none."},
}
