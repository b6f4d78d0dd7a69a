package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewLeadDataSource returns the pipesolar_lead data source.
func NewLeadDataSource() datasource.DataSource {
	return &oneRecordDataSource[pipesolar.Lead]{
		dataSourceBase: dataSourceBase{name: "lead"},
		noun:           "lead",
		fields:         leadFields,
		description: "Reads one pipe.solar lead (`GET /leads/{id}`): every field of the full lead, its " +
			"proposal included, with v1's names in snake_case (`customer.first_name`, `proposal.price.net`). An id " +
			"pipe.solar does not know (HTTP 404) is an error.",
		idDescription: "The lead: Pipe's id or the old 10-character reference. Kept as written; `lead_id` is " +
			"Pipe's id.",
		canonicalDescription: "Pipe's id of the lead (the canonical id, whichever form `id` has).",
		get:                  (*pipesolar.Client).GetLead,
		values:               leadValues,
	}
}

// leadValues are the full lead l's attribute values (leadFields), by name.
func leadValues(l *pipesolar.Lead) (map[string]attr.Value, error) {
	obj, err := leadObject(l)
	if err != nil {
		return nil, err
	}
	return obj.Attributes(), nil
}
