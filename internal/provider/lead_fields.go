package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// leadFields is the one declaration of a Pipe API v1 lead's fields (the
// full lead of GET /leads/{id}, GET /leads and PATCH /leads/{id}), in the
// form of projectFields: data pipesolar_lead, the rows of data
// pipesolar_leads and the read-only attributes of the pipesolar_lead
// resource derive from it. The resource's arguments (leadArgFields) replace
// the fields it names with typed, configurable attributes.
var leadFields = []projectField{
	{name: "id", api: "id", kind: kindString,
		desc: "Pipe's id of the lead: the canonical id, also when the lead was named by its old reference."},
	{name: "reference", api: "reference", kind: kindString,
		desc: "The lead's old 10-character UID (from the retired API); null for leads made since 2026-10-11."},
	{name: "product_line", api: "productLine", kind: kindString, desc: "`solar` or `hi` (Home Improvement)."},
	{name: "status", api: "status", kind: kindString, desc: "The lead's status in pipe.solar, for example `lead`."},
	{name: "archived", api: "archived", kind: kindBool, desc: "Whether the lead is archived in the app."},
	{name: "created_at", api: "createdAt", kind: kindString, desc: "When the lead was made (ISO 8601, UTC)."},
	{name: "updated_at", api: "updatedAt", kind: kindString, desc: "When the lead last changed (ISO 8601, UTC)."},
	{name: "customer", api: "customer", kind: kindObject, attrs: personFields, desc: "The customer."},
	{name: "co_borrower", api: "coBorrower", kind: kindObject, attrs: personFields,
		desc: "The co-borrower; null when there is none."},
	{name: "address", api: "address", kind: kindObject, attrs: addressFields, desc: "The customer's address."},
	{name: "utility", api: "utility", kind: kindObject, desc: "The customer's utility.", attrs: []projectField{
		{name: "name", api: "name", kind: kindString, desc: "Utility name."},
		{name: "monthly_bill", api: "monthlyBill", kind: kindNumber, desc: "Monthly electricity bill."},
		{name: "meter_number", api: "meterNumber", kind: kindString, desc: "Utility meter number."},
	}},
	{name: "source", api: "source", kind: kindObject, desc: "Where the lead came from (`API` for leads made through v1).",
		attrs: projectFieldByName()["source"].attrs},
	{name: "external_id", api: "externalId", kind: kindString,
		desc: "Your system's id of the lead (v1's `externalId`); null when the lead was made without one."},
	{name: "partner_lead_id", api: "partnerLeadId", kind: kindString, desc: "The partner's id of the lead."},
	{name: "notes", api: "notes", kind: kindString, desc: "The lead's notes."},
	{name: "sales_rep", api: "salesRep", kind: kindObject, attrs: contactFields, desc: "The sales rep; null when none."},
	{name: "setter", api: "setter", kind: kindObject, attrs: contactFields, desc: "The setter; null when none."},
	{name: "project_id", api: "project.id", kind: kindString,
		desc: "Id of the project the lead was sold as (see `pipesolar_project`); null until it is sold."},
	{name: "project_reference", api: "project.reference", kind: kindString,
		desc: "Old 10-character reference of that project; null until sold, or for projects made since 2026-10-11."},
	{name: "sold_at", api: "project.soldAt", kind: kindString, desc: "When the lead was sold (ISO 8601, UTC); null until then."},
	{name: "design", api: "design", kind: kindObject, desc: "The design; null when there is none.",
		attrs: projectFieldByName()["design"].attrs},
	{name: "proposal", api: "proposal", kind: kindObject, attrs: proposalFields,
		desc: "The proposal the lead leads with (the option the customer chose, else the newest); null when there is none."},
	{name: "links", api: "links", kind: kindObject, desc: "Links into the app.", attrs: []projectField{
		{name: "record", api: "record", kind: kindString, desc: "The lead in the pipe.solar app."},
		{name: "proposal", api: "proposal", kind: kindString, desc: "The proposal; null when there is none."},
	}},
	{name: "contract_files", api: "contractFiles", kind: kindStringList,
		desc: "Links to the contract's files; null when pipe.solar shows none."},
	{name: "files", api: "files", kind: kindLinksMap,
		desc: "Links to Pipe's copies of the lead's files, by folder; a folder without files is left out."},
}

// proposalFields are a lead's proposal (v1's Proposal).
var proposalFields = []projectField{
	{name: "id", api: "id", kind: kindString, desc: "Pipe's id of the proposal."},
	{name: "reference", api: "reference", kind: kindString, desc: "The proposal's reference."},
	{name: "label", api: "label", kind: kindString, desc: "The option's label."},
	{name: "status", api: "status", kind: kindString, desc: "The proposal's status."},
	{name: "system", api: "system", kind: kindObject, desc: "The proposed system; null when there is none.", attrs: []projectField{
		{name: "size_kw", api: "sizeKw", kind: kindNumber, desc: "System size in kW."},
		{name: "annual_production_kwh", api: "annualProductionKwh", kind: kindNumber, desc: "Estimated annual production in kWh."},
		{name: "arrays", api: "arrays", kind: kindNumber, desc: "Number of arrays."},
		projectSystemField("panels"), projectSystemField("inverters"), projectSystemField("batteries"),
		projectSystemField("price_per_watt"),
	}},
	{name: "price", api: "price", kind: kindObject, desc: "The proposal's price; null when there is none.", attrs: []projectField{
		{name: "total", api: "total", kind: kindNumber, desc: "Total price."},
		{name: "sales_tax", api: "salesTax", kind: kindNumber, desc: "Sales tax."},
		{name: "before_tax", api: "beforeTax", kind: kindNumber, desc: "Price before tax."},
		{name: "adders", api: "adders", kind: kindNumber, desc: "Price of the adders."},
		{name: "discounts", api: "discounts", kind: kindNumber, desc: "Discounts."},
		{name: "incentives", api: "incentives", kind: kindNumber, desc: "Incentives."},
		{name: "net", api: "net", kind: kindNumber, desc: "Net price."},
	}},
	{name: "financing", api: "financing", kind: kindObject, desc: "The proposal's financing.",
		attrs: projectFieldByName()["financing"].attrs},
	projectSystemField("adders"),
	{name: "links", api: "links", kind: kindObject, desc: "Links.", attrs: []projectField{
		{name: "proposal", api: "proposal", kind: kindString, desc: "The proposal in the pipe.solar app; null when none."},
	}},
}

// projectSystemField is the field name of a project's system (panels,
// inverters, ...): a proposal's system has the same.
func projectSystemField(name string) projectField {
	for _, f := range projectFieldByName()["system"].attrs {
		if f.name == name {
			return f
		}
	}
	panic("projectFields: system has no " + name) // a programming error, caught by every test
}

// leadObjectType is the type of one full lead (data pipesolar_leads' rows).
func leadObjectType() types.ObjectType { return fieldsObjectType(leadFields) }

// leadObject is the full lead l as an object of leadFields.
func leadObject(l *pipesolar.Lead) (types.Object, error) {
	m, err := jsonObject(l)
	if err != nil {
		return types.Object{}, err
	}
	return objectValue(leadFields, m), nil
}
