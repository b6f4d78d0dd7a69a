package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
)

// projectFields is the one declaration of a Pipe API v1 project's fields:
// the Terraform name, the v1 member it is read from, its kind and, for an
// object, its attributes. The pipesolar_project resource's schema, data
// pipesolar_project, the rows of data pipesolar_projects, the list
// resource and the mapping from v1's JSON to state all derive from it.
// Adding a field is one row.
//
// The resource's arguments (project_id aside, which v1 does not return)
// are rows too, marked arg; the rows of GET /projects are marked row.
var projectFields = []projectField{
	{name: "id", api: "id", kind: kindString, row: true,
		desc: "Pipe's id of the project: the canonical id, also when the project was named by its old reference or its lead's id."},
	{name: "reference", api: "reference", kind: kindString, row: true,
		desc: "The project's old 10-character UID (from the retired API); null for projects made since 2026-10-11."},
	{name: "lead_id", api: "leadId", kind: kindString, row: true, desc: "Id of the lead the project was sold from."},
	{name: "product_line", api: "productLine", kind: kindString, row: true, desc: "`solar` or `hi` (Home Improvement)."},
	{name: "stage", api: "stage.name", kind: kindString, row: true, arg: true,
		desc: "Name of the project's stage, for example `Permitting`."},
	{name: "stage_id", api: "stage.id", kind: kindString, row: true, arg: true, desc: "Id of the project's stage."},
	{name: "stage_entered_at", api: "stage.enteredAt", kind: kindString, row: true,
		desc: "When the project entered its stage (ISO 8601, UTC)."},
	{name: "sold_at", api: "soldAt", kind: kindString, row: true, desc: "When the lead was sold (ISO 8601, UTC)."},
	{name: "updated_at", api: "updatedAt", kind: kindString, row: true, desc: "When the project last changed (ISO 8601, UTC)."},
	{name: "ntp_granted", api: "ntpGranted", kind: kindBool, row: true, arg: true, desc: "Whether notice to proceed was granted."},
	{name: "install_date", api: "milestones.installScheduled", kind: kindString, arg: true,
		desc: "Scheduled install date, `YYYY-MM-DD` (the milestone `installScheduled`)."},
	{name: "customer", api: "customer", kind: kindObject, row: true, attrs: personFields, desc: "The customer."},
	{name: "co_borrower", api: "coBorrower", kind: kindObject, attrs: personFields,
		desc: "The co-borrower; null when there is none."},
	{name: "address", api: "address", kind: kindObject, row: true, attrs: addressFields, desc: "The customer's address."},
	{name: "meter_number", api: "meterNumber", kind: kindString, desc: "Utility meter number."},
	{name: "notes", api: "notes", kind: kindObject, desc: "Notes.", attrs: []projectField{
		{name: "customer", api: "customer", kind: kindString, desc: "Notes for the customer."},
		{name: "project", api: "project", kind: kindString, desc: "Notes on the project."},
	}},
	{name: "source", api: "source", kind: kindObject, desc: "Where the lead came from.", attrs: []projectField{
		{name: "name", api: "name", kind: kindString, desc: "Source."},
		{name: "sub_source", api: "subSource", kind: kindString, desc: "Sub-source."},
	}},
	{name: "partner_lead_id", api: "partnerLeadId", kind: kindString, desc: "The partner's id of the lead."},
	{name: "utility", api: "utility", kind: kindObject, desc: "The utility.", attrs: []projectField{
		{name: "name", api: "name", kind: kindString, desc: "Utility name."},
	}},
	{name: "design", api: "design", kind: kindObject, desc: "The design; null when there is none.", attrs: []projectField{
		{name: "name", api: "name", kind: kindString, desc: "Design name."},
		{name: "scanifly_project_id", api: "scaniflyProjectId", kind: kindString, desc: "Scanifly project id."},
		{name: "scanifly_design_id", api: "scaniflyDesignId", kind: kindString, desc: "Scanifly design id."},
		{name: "sold_scanifly_design_id", api: "soldScaniflyDesignId", kind: kindString, desc: "Scanifly id of the design sold."},
	}},
	{name: "company", api: "company", kind: kindObject, desc: "The company the project belongs to; null when not shown.",
		attrs: []projectField{{name: "name", api: "name", kind: kindString, desc: "Company name."}}},
	{name: "sales_rep", api: "salesRep", kind: kindObject, attrs: contactFields, desc: "The sales rep; null when none."},
	{name: "setter", api: "setter", kind: kindObject, attrs: contactFields, desc: "The setter; null when none."},
	{name: "project_manager", api: "projectManager", kind: kindObject, attrs: contactFields, desc: "The project manager; null when none."},
	{name: "site_surveyor", api: "siteSurveyor", kind: kindObject, attrs: contactFields, desc: "The site surveyor; null when none."},
	{name: "subcontractor", api: "subcontractor", kind: kindObject, attrs: contactFields, desc: "The subcontractor; null when none."},
	{name: "contract", api: "contract", kind: kindObject, desc: "The contract.", attrs: []projectField{
		{name: "signed_at", api: "signedAt", kind: kindString, desc: "When it was signed (ISO 8601)."},
		{name: "price", api: "price", kind: kindNumber, desc: "Contract price."},
		{name: "sales_tax", api: "salesTax", kind: kindNumber, desc: "Sales tax."},
		{name: "price_before_tax", api: "priceBeforeTax", kind: kindNumber, desc: "Price before tax."},
		{name: "files", api: "files", kind: kindStringList, desc: "Links to the contract's files."},
	}},
	{name: "financing", api: "financing", kind: kindObject, desc: "The financing.", attrs: []projectField{
		{name: "type", api: "type", kind: kindString, desc: "`cash`, `loan`, `lease` or `ppa`."},
		{name: "lender", api: "lender", kind: kindString, desc: "Lender."},
		{name: "amount", api: "amount", kind: kindNumber, desc: "Financed amount."},
		{name: "apr_percent", api: "aprPercent", kind: kindNumber, desc: "APR in percent."},
		{name: "term_months", api: "termMonths", kind: kindNumber, desc: "Term in months."},
		{name: "monthly_payment", api: "monthlyPayment", kind: kindNumber, desc: "Monthly payment."},
		{name: "dealer_fee_percent", api: "dealerFeePercent", kind: kindNumber, desc: "Dealer fee in percent."},
		{name: "escalator_percent", api: "escalatorPercent", kind: kindNumber, desc: "Escalator in percent."},
	}},
	{name: "system", api: "system", kind: kindObject, desc: "The solar system; null for Home Improvement projects.", attrs: []projectField{
		{name: "roof_type", api: "roofType", kind: kindString, desc: "Roof type."},
		{name: "size_kw", api: "sizeKw", kind: kindNumber, desc: "System size in kW."},
		{name: "annual_production_kwh", api: "annualProductionKwh", kind: kindNumber, desc: "Estimated annual production in kWh."},
		{name: "panels", api: "panels", kind: kindObject, desc: "Panels.", attrs: []projectField{
			{name: "count", api: "count", kind: kindNumber, desc: "Number of panels."},
			{name: "manufacturer", api: "manufacturer", kind: kindString, desc: "Manufacturer."},
			{name: "model", api: "model", kind: kindString, desc: "Model."},
		}},
		{name: "inverters", api: "inverters", kind: kindObject, desc: "Inverters.", attrs: []projectField{
			{name: "count", api: "count", kind: kindNumber, desc: "Number of inverters."},
			{name: "manufacturer", api: "manufacturer", kind: kindString, desc: "Manufacturer."},
			{name: "model", api: "model", kind: kindString, desc: "Model."},
			{name: "name", api: "name", kind: kindString, desc: "Name."},
			{name: "microinverter", api: "microinverter", kind: kindBool, desc: "Whether they are microinverters."},
		}},
		{name: "batteries", api: "batteries", kind: kindObject, desc: "Batteries; null when none.", attrs: []projectField{
			{name: "count", api: "count", kind: kindNumber, desc: "Number of batteries."},
			{name: "manufacturer", api: "manufacturer", kind: kindString, desc: "Manufacturer."},
			{name: "model", api: "model", kind: kindString, desc: "Model."},
			{name: "capacity_kwh", api: "capacityKwh", kind: kindNumber, desc: "Capacity in kWh."},
		}},
		{name: "price_per_watt", api: "pricePerWatt", kind: kindObject, desc: "Price per watt.", attrs: []projectField{
			{name: "base", api: "base", kind: kindNumber, desc: "Base price per watt."},
			{name: "final", api: "final", kind: kindNumber, desc: "Final price per watt."},
		}},
		{name: "adders", api: "adders", kind: kindObjectList, desc: "Adders.", attrs: []projectField{
			{name: "name", api: "name", kind: kindString, desc: "Adder."},
			{name: "quantity", api: "quantity", kind: kindNumber, desc: "Quantity."},
			{name: "total", api: "total", kind: kindNumber, desc: "Total price."},
		}},
	}},
	{name: "products", api: "products", kind: kindObjectList, desc: "Products of a Home Improvement project; null for solar.",
		attrs: []projectField{
			{name: "name", api: "name", kind: kindString, desc: "Product."},
			{name: "price", api: "price", kind: kindNumber, desc: "Price."},
		}},
	{name: "milestones", api: "milestones", kind: kindStringMap,
		desc: "Days of the milestones that have one (`YYYY-MM-DD`), by milestone name; `installScheduled` is `install_date`."},
	{name: "custom_fields", api: "customFields", kind: kindTextMap,
		desc: "Custom fields by name; numbers and booleans as their JSON text (`\"12.5\"`, `\"true\"`)."},
	{name: "files", api: "files", kind: kindLinksMap,
		desc: "Links to Pipe's copies of the project's files, by folder; a folder without files is left out."},
	{name: "links", api: "links", kind: kindObject, desc: "Links into the app.", attrs: []projectField{
		{name: "project", api: "project", kind: kindString, desc: "The project in the pipe.solar app."},
		{name: "proposal", api: "proposal", kind: kindString, desc: "The proposal; null when there is none."},
	}},
}

var personFields = []projectField{
	{name: "first_name", api: "firstName", kind: kindString, desc: "First name."},
	{name: "last_name", api: "lastName", kind: kindString, desc: "Last name."},
	{name: "email", api: "email", kind: kindString, desc: "Email."},
	{name: "phone", api: "phone", kind: kindString, desc: "Phone."},
}

var addressFields = []projectField{
	{name: "line1", api: "line1", kind: kindString, desc: "Street."},
	{name: "line2", api: "line2", kind: kindString, desc: "Second line."},
	{name: "city", api: "city", kind: kindString, desc: "City."},
	{name: "state", api: "state", kind: kindString, desc: "State or province."},
	{name: "postal_code", api: "postalCode", kind: kindString, desc: "Postal code."},
	{name: "country", api: "country", kind: kindString, desc: "`US` or `CA`."},
}

var contactFields = []projectField{
	{name: "name", api: "name", kind: kindString, desc: "Name."},
	{name: "email", api: "email", kind: kindString, desc: "Email."},
	{name: "phone", api: "phone", kind: kindString, desc: "Phone."},
}

// projectField is one row of projectFields.
type projectField struct {
	name  string    // Terraform attribute
	api   string    // v1 member; a dotted path for a member of a nested object ("stage.name")
	kind  fieldKind // how the value is typed and mapped
	attrs []projectField
	arg   bool // an argument of the pipesolar_project resource (optional and computed)
	row   bool // also in the rows of GET /projects
	desc  string
}

// fieldKind is how a field is typed and mapped.
type fieldKind int

const (
	kindString     fieldKind = iota // text, or null
	kindNumber                      // a number, kept as the decimal v1 wrote
	kindBool                        // true or false
	kindObject                      // an object of attrs, or null
	kindObjectList                  // a list of objects of attrs, or null
	kindStringList                  // a list of text
	kindStringMap                   // text by name
	kindTextMap                     // customFields: text, numbers and booleans as their JSON text
	kindLinksMap                    // files: lists of links by folder
)

// attrType is the field's value type.
func (f *projectField) attrType() attr.Type {
	switch f.kind {
	case kindString:
		return types.StringType
	case kindNumber:
		return types.NumberType
	case kindBool:
		return types.BoolType
	case kindObject:
		return f.objectType()
	case kindObjectList:
		return types.ListType{ElemType: f.objectType()}
	case kindStringList:
		return types.ListType{ElemType: types.StringType}
	case kindStringMap, kindTextMap:
		return types.MapType{ElemType: types.StringType}
	case kindLinksMap:
		return types.MapType{ElemType: types.ListType{ElemType: types.StringType}}
	}
	panic("projectFields: unknown kind of " + f.name) // a programming error, caught by every test
}

// objectType is the type of an object field (or of a list's elements).
func (f *projectField) objectType() types.ObjectType {
	return fieldsObjectType(f.attrs)
}

func fieldsObjectType(fields []projectField) types.ObjectType {
	t := make(map[string]attr.Type, len(fields))
	for i := range fields {
		t[fields[i].name] = fields[i].attrType()
	}
	return types.ObjectType{AttrTypes: t}
}

// value maps v1's JSON value v (decoded with UseNumber: string,
// json.Number, bool, map[string]any, []any or nil) to the field's value.
// A value of a type v1 does not document for the field is null.
func (f *projectField) value(v any) attr.Value {
	switch f.kind {
	case kindString:
		if s, ok := v.(string); ok {
			return types.StringValue(s)
		}
		return types.StringNull()
	case kindNumber:
		if n, ok := v.(json.Number); ok {
			if x, ok := decimal(string(n)); ok {
				return types.NumberValue(x)
			}
		}
		return types.NumberNull()
	case kindBool:
		if b, ok := v.(bool); ok {
			return types.BoolValue(b)
		}
		return types.BoolNull()
	case kindObject:
		m, ok := v.(map[string]any)
		if !ok {
			return types.ObjectNull(f.objectType().AttrTypes)
		}
		return objectValue(f.attrs, m)
	case kindObjectList:
		items, ok := v.([]any)
		elem := f.objectType()
		if !ok {
			return types.ListNull(elem)
		}
		vals := make([]attr.Value, 0, len(items))
		for _, it := range items {
			m, _ := it.(map[string]any)
			vals = append(vals, objectValue(f.attrs, m))
		}
		return types.ListValueMust(elem, vals)
	case kindStringList:
		items, ok := v.([]any)
		if !ok {
			return types.ListNull(types.StringType)
		}
		vals := make([]attr.Value, 0, len(items))
		for _, it := range items {
			if s, ok := it.(string); ok {
				vals = append(vals, types.StringValue(s))
			}
		}
		return types.ListValueMust(types.StringType, vals)
	case kindStringMap, kindTextMap:
		m, ok := v.(map[string]any)
		if !ok {
			return types.MapNull(types.StringType)
		}
		vals := make(map[string]attr.Value, len(m))
		for k, it := range m {
			if s, ok := jsonText(it, f.kind == kindTextMap); ok {
				vals[k] = types.StringValue(s)
			}
		}
		return types.MapValueMust(types.StringType, vals)
	case kindLinksMap:
		listType := types.ListType{ElemType: types.StringType}
		m, ok := v.(map[string]any)
		if !ok {
			return types.MapNull(listType)
		}
		vals := make(map[string]attr.Value, len(m))
		for k, it := range m {
			vals[k] = (&projectField{kind: kindStringList}).value(it)
		}
		return types.MapValueMust(listType, vals)
	}
	panic("projectFields: unknown kind of " + f.name)
}

// objectValue maps the v1 object m (nil: every member null) onto fields.
func objectValue(fields []projectField, m map[string]any) types.Object {
	vals := make(map[string]attr.Value, len(fields))
	for i := range fields {
		vals[fields[i].name] = fields[i].value(m[fields[i].api])
	}
	return types.ObjectValueMust(fieldsObjectType(fields).AttrTypes, vals)
}

// jsonText is a custom field's or milestone's text: a string as it is;
// with numbersToo, a number or boolean as its JSON text and anything else
// as compact JSON. ok is false for null.
func jsonText(v any, numbersToo bool) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, true
	case json.Number:
		return string(x), numbersToo
	case bool:
		return fmt.Sprint(x), numbersToo
	}
	if !numbersToo {
		return "", false
	}
	b, err := json.Marshal(v)
	return string(b), err == nil
}

// decimal parses v1's number text exactly (Terraform's precision), then
// compacts it (customtypes.Compact) so it crosses the protocol cheaply.
func decimal(text string) (*big.Float, bool) {
	f, _, err := big.ParseFloat(text, 10, 512, big.ToNearestEven)
	if err != nil {
		return nil, false
	}
	return customtypes.Compact(f), true
}

// member finds the dotted path api ("stage.name") in the v1 object m.
func member(m map[string]any, api string) any {
	for {
		head, rest, nested := strings.Cut(api, ".")
		if !nested {
			return m[head]
		}
		next, ok := m[head].(map[string]any)
		if !ok {
			return nil
		}
		m, api = next, rest
	}
}

// jsonObject turns one v1 record (a *pipesolar.Project or ProjectRow) into
// its JSON object, numbers kept as written.
func jsonObject(record any) (map[string]any, error) {
	b, err := json.Marshal(record)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// projectValues maps a v1 record onto every field of fields that is a
// top-level row of projectFields (keep selects them; nil keeps all).
func projectValues(record any, keep func(*projectField) bool) (map[string]attr.Value, error) {
	m, err := jsonObject(record)
	if err != nil {
		return nil, fmt.Errorf("decoding the project: %w", err)
	}
	vals := make(map[string]attr.Value, len(projectFields))
	for i := range projectFields {
		f := &projectFields[i]
		if keep == nil || keep(f) {
			vals[f.name] = f.value(member(m, f.api))
		}
	}
	return vals, nil
}

// unknownValue is the unknown value of type t.
func unknownValue(t attr.Type) attr.Value {
	ctx := context.Background()
	v, err := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), tftypes.UnknownValue))
	if err != nil {
		panic("projectFields: " + err.Error()) // a programming error, caught by every test
	}
	return v
}

// isRowField selects the fields GET /projects rows carry.
func isRowField(f *projectField) bool { return f.row }

// projectFieldByName finds a top-level row.
var projectFieldByName = sync.OnceValue(func() map[string]*projectField {
	m := make(map[string]*projectField, len(projectFields))
	for i := range projectFields {
		m[projectFields[i].name] = &projectFields[i]
	}
	return m
})

// projectRowType is the type of one row of data pipesolar_projects.
var projectRowType = sync.OnceValue(func() types.ObjectType {
	var rows []projectField
	for _, f := range projectFields {
		if f.row {
			rows = append(rows, f)
		}
	}
	return fieldsObjectType(rows)
})
