package provider

import (
	"context"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// projectFields is the one declaration of a pipe.solar project's fields.
// The pipesolar_project resource's schema and plan rules, both data
// sources, the list resource, the create_project body and the mapping from
// fetch_project to state all derive from it. Adding a field is one row.
//
// Arguments come first, in create_project's order; each is sent under its
// Terraform name. api is the fetch_project member that returns it ("" when
// pipe.solar does not return it, so refresh cannot see it change).
var projectFields = []projectField{
	{name: "address", api: "customerAddress", kind: kindText, arg: true, required: true, key: true,
		desc: "Customer's full address, for example `123 Solar St, Sunville, CA 90210`."},
	{name: "first_name", api: "customerFirstName", kind: kindText, arg: true, required: true, key: true,
		desc: "Customer's first name."},
	{name: "last_name", api: "customerLastName", kind: kindText, arg: true, required: true, key: true,
		desc: "Customer's last name."},
	{name: "email", api: "customerEmail", kind: kindEmail, arg: true, required: true, key: true,
		desc: "Customer's email. pipe.solar lower-cases it; case never shows as a difference."},
	{name: "phone_number", api: "customerPhoneNumber", kind: kindText, arg: true, required: true,
		desc: "Customer's phone number."},
	{name: "org_id", kind: kindText, arg: true, required: true,
		desc: "Organisation the project belongs to."},
	{name: "sales_rep", kind: kindText, arg: true, required: true,
		desc: "Sales rep (as pipe.solar identifies them, usually an email)."},
	{name: "setter", kind: kindText, arg: true, required: true,
		desc: "Setter (as pipe.solar identifies them, usually an email)."},
	{name: "system_size", api: "systemSize", kind: kindDecimal, arg: true, key: true,
		desc: "System size in kW."},
	{name: "annual_production", api: "estProduction", kind: kindDecimal, arg: true,
		desc: "Estimated annual production in kWh."},
	{name: "consumption", kind: kindDecimal, arg: true,
		desc: "Annual consumption in kWh."},
	{name: "system_cost", api: "contractPrice", kind: kindDecimal, arg: true, key: true,
		desc: "System cost (contract price)."},
	{name: "final_ppw", api: "finalPPW", kind: kindDecimal, arg: true,
		desc: "Final price per watt."},
	{name: "base_ppw", api: "basePPW", kind: kindDecimal, arg: true,
		desc: "Base price per watt."},
	{name: "adder_ppw", kind: kindDecimal, arg: true,
		desc: "Adders price per watt."},
	{name: "financing_type", api: "financeType", kind: kindText, arg: true,
		desc: "Finance type, for example `Loan`, `Cash`, `Lease`, `PPA`."},
	{name: "term_years", api: "financeTerm", kind: kindWhole, arg: true,
		desc: "Finance term in years."},
	{name: "apr", api: "financeAPR", kind: kindDecimal, arg: true,
		desc: "Finance APR in percent."},
	{name: "project_stage", api: "projectStatus", kind: kindText, arg: true, mutable: true,
		desc: "Stage, for example `New Lead` or `NTP`; must be a stage configured in pipe.solar."},
	{name: "panel_profile_id", kind: kindText, arg: true,
		desc: "Panel profile id; pipe.solar derives `panel_model` from it."},
	{name: "panel_count", api: "numberOfPanel", kind: kindWhole, arg: true,
		desc: "Number of panels."},
	{name: "inverter_profile_id", kind: kindText, arg: true,
		desc: "Inverter profile id; pipe.solar derives `inverter_name` from it."},
	{name: "inverter_count", api: "numberOfInverter", kind: kindWhole, arg: true,
		desc: "Number of inverters."},
	{name: "lease_ppa_rate", kind: kindDecimal, arg: true, sendText: true,
		desc: "Lease or PPA rate."},
	{name: "pre_itc_payment", kind: kindDecimal, arg: true, sendText: true,
		desc: "Payment before the investment tax credit."},
	{name: "escalator_rate", kind: kindDecimal, arg: true, sendText: true,
		desc: "Escalator rate in percent."},
	{name: "site_survey_photos", kind: kindURLList, arg: true,
		desc: "URLs of site survey photos."},
	{name: "adders", api: "adders", kind: kindList, arg: true,
		desc: "Adders, for example `Main panel upgrade`."},

	// Read-only: what fetch_project returns beyond the arguments.
	{name: "customer_street", api: "customerStreet", kind: kindText, desc: "Street part of the address, as pipe.solar parsed it."},
	{name: "customer_city", api: "customerCity", kind: kindText, desc: "City part of the address."},
	{name: "customer_state", api: "customerState", kind: kindText, desc: "State part of the address."},
	{name: "customer_zip", api: "customerZip", kind: kindText, desc: "ZIP code part of the address."},
	{name: "secondary_customer", api: "secondaryCustomer", kind: kindSecondary,
		desc: "Second customer on the contract (`secondaryCustomerFirstName`, ...); null when there is none."},
	{name: "contract_signed_date", api: "contractSignedDate", kind: kindDate, desc: "Date the contract was signed, `YYYY-MM-DD`."},
	{name: "submitted_date", api: "submittedDate", kind: kindDate, desc: "Date the project was submitted, `YYYY-MM-DD`."},
	{name: "project_site_id", api: "projectSiteId", kind: kindText, desc: "Site id."},
	{name: "contract_url", api: "contractURL", kind: kindText, desc: "Signed contract document URL."},
	{name: "proposal_url", api: "proposalURL", kind: kindText, desc: "Proposal URL."},
	{name: "project_url", api: "projectURL", kind: kindText, desc: "Project dashboard URL in pipe.solar."},
	{name: "file_urls", api: "allFilesURL", kind: kindFolders,
		desc: "Folder URLs keyed `survey_files`, `personal_files`, `utility_bills`, `insurance_files`, `driver_license`, " +
			"`installation_photos`, `plansets`, `materials`, `other_documents`, `interconnection`, `permits`, " +
			"`internal_documents`. Folders without a URL are left out."},
	{name: "panel_model", api: "panelModel", kind: kindText, desc: "Panel model."},
	{name: "inverter_name", api: "inverterName", kind: kindText, desc: "Inverter model."},
	{name: "number_of_battery", api: "numberOfBattery", kind: kindWhole, desc: "Number of batteries."},
	{name: "battery_name", api: "batteryName", kind: kindText, desc: "Battery model."},
	{name: "finance_company", api: "financeCompany", kind: kindText, desc: "Finance company."},
	{name: "finance_amount", api: "financeAmount", kind: kindDecimal, desc: "Financed amount."},
	{name: "adders_cost", api: "addersCost", kind: kindDecimal, desc: "Total cost of adders."},
	{name: "sales_rep_name", api: "salesRepName", kind: kindText, desc: "Sales rep's name."},
	{name: "sales_rep_email", api: "salesRepEmail", kind: kindText, desc: "Sales rep's email."},
	{name: "sales_rep_phone", api: "salesRepPhone", kind: kindText, desc: "Sales rep's phone."},
	{name: "setter_name", api: "setterName", kind: kindText, desc: "Setter's name."},
	{name: "setter_email", api: "setterEmail", kind: kindText, desc: "Setter's email."},
	{name: "setter_phone", api: "setterPhone", kind: kindText, desc: "Setter's phone."},
	{name: "site_surveyor_name", api: "siteSurveyorName", kind: kindText, desc: "Site surveyor."},
	{name: "sub_contractor_name", api: "subContractorName", kind: kindText, desc: "Subcontractor."},
}

// projectField is one row of projectFields.
type projectField struct {
	name     string    // Terraform attribute, and create_project member for an argument
	api      string    // fetch_project member; "" when pipe.solar does not return it
	kind     fieldKind // how the value is typed, compared and mapped
	arg      bool      // an argument (else read-only)
	required bool      // create_project requires it
	mutable  bool      // pipe.solar can change it on an existing project
	sendText bool      // sent as a string, as the API's own example does
	key      bool      // part of the natural key that finds a created project in its org's listing
	desc     string
}

// returned reports whether fetch_project returns the field, so that refresh
// shows changes made in the app.
func (f *projectField) returned() bool { return f.api != "" }

// fieldKind is how a field is typed, compared and mapped.
type fieldKind int

const (
	kindText      fieldKind = iota // text, compared trimmed
	kindEmail                      // text, compared trimmed and case-insensitively
	kindDecimal                    // a number, compared as a decimal; the API writes "18,450.01"
	kindWhole                      // a whole number; the API writes "20" or "20.0"
	kindDate                       // MM/DD/YYYY in the API, YYYY-MM-DD here
	kindList                       // list of text, elements compared trimmed
	kindURLList                    // list of http(s) URLs
	kindFolders                    // allFilesURL: folder key → URL
	kindSecondary                  // the secondaryCustomer* members as one object
)

// folderKeys maps fetch_project's allFilesURL keys to file_urls keys.
var folderKeys = map[string]string{
	"surveyFiles":        "survey_files",
	"personalFiles":      "personal_files",
	"utilityBills":       "utility_bills",
	"insuranceFiles":     "insurance_files",
	"driverLicense":      "driver_license",
	"installationPhotos": "installation_photos",
	"plansets":           "plansets",
	"materials":          "materials",
	"otherDocuments":     "other_documents",
	"interconnection":    "interconnection",
	"permits":            "permits",
	"internalDocuments":  "internal_documents",
}

// secondaryCustomerAttributes are the secondary_customer object's
// attributes: the fetch_project member each is read from, and its
// description in the schemas.
var secondaryCustomerAttributes = map[string]struct{ member, desc string }{
	"first_name":   {"secondaryCustomerFirstName", "First name."},
	"last_name":    {"secondaryCustomerLastName", "Last name."},
	"phone_number": {"secondaryCustomerPhoneNumber", "Phone number."},
	"email":        {"secondaryCustomerEmail", "Email, lower-cased."},
}

// secondaryCustomerType is the secondary_customer object's type: every
// attribute a string.
var secondaryCustomerType = func() types.ObjectType {
	t := make(map[string]attr.Type, len(secondaryCustomerAttributes))
	for name := range secondaryCustomerAttributes {
		t[name] = types.StringType
	}
	return types.ObjectType{AttrTypes: t}
}()

// attrType is the field's value type. The types are the framework's plain
// ones: what pipe.solar stores the same (an email's case, 8.5 and "8.50",
// padding) is decided by the field's kind in sameValue, which Read and the
// plan rules apply. (Custom types with semantic equality would make the
// framework walk the state once more per such attribute after every
// refresh: 12% of a refresh plan's CPU, to reach the same answer.)
func (f *projectField) attrType() attr.Type {
	switch f.kind {
	case kindText, kindEmail, kindDate:
		return types.StringType
	case kindDecimal:
		return types.NumberType
	case kindWhole:
		return types.Int64Type
	case kindList, kindURLList:
		return types.ListType{ElemType: types.StringType}
	case kindFolders:
		return types.MapType{ElemType: types.StringType}
	case kindSecondary:
		return secondaryCustomerType
	}
	panic("projectFields: unknown kind of " + f.name) // a programming error, caught by every test
}

// null is the field's null value.
func (f *projectField) null() attr.Value { return f.valueOf(nil) }

// unknown is the field's unknown value.
func (f *projectField) unknown() attr.Value { return f.valueOf(tftypes.UnknownValue) }

// valueOf is the field's value for a null (nil) or unknown Terraform value,
// made by its type, so any type attrType can return has both.
func (f *projectField) valueOf(v any) attr.Value {
	ctx := context.Background()
	t := f.attrType()
	val, err := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), v))
	if err != nil {
		panic("projectFields: " + f.name + ": " + err.Error()) // a programming error, caught by every test
	}
	return val
}

// fromAPI maps the field's value in p: numbers the API writes as text
// become numbers, dates YYYY-MM-DD, emails lower-case, text is trimmed, and
// empty values are null (lists: empty).
func (f *projectField) fromAPI(p *pipesolar.Project) attr.Value {
	switch f.kind {
	case kindText, kindEmail:
		text := strings.TrimSpace(p.Text(f.api))
		if f.kind == kindEmail {
			text = strings.ToLower(text)
		}
		if text == "" {
			return types.StringNull()
		}
		return types.StringValue(text)
	case kindDecimal:
		if n, ok := pipesolar.ParseNumber(p.Text(f.api)); ok {
			return types.NumberValue(customtypes.Compact(n))
		}
		return types.NumberNull()
	case kindWhole:
		return wholeValue(p.Text(f.api))
	case kindDate:
		return dateValue(p.Text(f.api))
	case kindList, kindURLList:
		return stringListValue(p.List(f.api))
	case kindFolders:
		return folderURLsValue(p.Map(f.api))
	case kindSecondary:
		return secondaryCustomerValue(p)
	}
	return f.null()
}

// wholeValue maps a whole number in text ("20", "20.0") to an int64;
// anything else is null.
func wholeValue(s string) types.Int64 {
	f, ok := pipesolar.ParseNumber(s)
	if !ok || !f.IsInt() {
		return types.Int64Null()
	}
	n, acc := f.Int64()
	if acc != big.Exact {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}

// dateValue maps the API's MM/DD/YYYY to ISO 8601 (YYYY-MM-DD); text in any
// other form is kept as it is.
func dateValue(s string) types.String {
	s = strings.TrimSpace(s)
	if s == "" {
		return types.StringNull()
	}
	for _, layout := range []string{"01/02/2006", "1/2/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return types.StringValue(t.Format(time.DateOnly))
		}
	}
	return types.StringValue(s)
}

func stringListValue(items []string) types.List {
	vals := make([]attr.Value, 0, len(items))
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			vals = append(vals, types.StringValue(it))
		}
	}
	return types.ListValueMust(types.StringType, vals)
}

func folderURLsValue(m map[string]string) types.Map {
	out := make(map[string]attr.Value, len(m))
	for apiKey, u := range m {
		key, ok := folderKeys[apiKey]
		if !ok {
			key = snakeCase(apiKey)
		}
		if u = strings.TrimSpace(u); u != "" {
			out[key] = types.StringValue(u)
		}
	}
	return types.MapValueMust(types.StringType, out)
}

func secondaryCustomerValue(p *pipesolar.Project) types.Object {
	vals := make(map[string]attr.Value, len(secondaryCustomerAttributes))
	empty := true
	for name, a := range secondaryCustomerAttributes {
		s := strings.TrimSpace(p.Text(a.member))
		if name == "email" {
			s = strings.ToLower(s)
		}
		if s == "" {
			vals[name] = types.StringNull()
			continue
		}
		vals[name] = types.StringValue(s)
		empty = false
	}
	if empty {
		return types.ObjectNull(secondaryCustomerType.AttrTypes)
	}
	return types.ObjectValueMust(secondaryCustomerType.AttrTypes, vals)
}

// snakeCase turns "someKeyName" into "some_key_name".
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sameValue reports whether two values of the field are the same to
// pipe.solar: text trimmed (emails also case-insensitive), numbers as
// decimals, list elements likewise, and an empty list the same as none.
func (f *projectField) sameValue(a, b attr.Value) bool {
	if a.IsUnknown() || b.IsUnknown() {
		return false
	}
	if !f.arg {
		return a.Equal(b)
	}
	if a.IsNull() || b.IsNull() {
		return a.IsNull() && b.IsNull()
	}
	switch f.kind {
	case kindText, kindEmail:
		as, aok := a.(types.String)
		bs, bok := b.(types.String)
		if !aok || !bok {
			return false
		}
		x, y := strings.TrimSpace(as.ValueString()), strings.TrimSpace(bs.ValueString())
		if f.kind == kindEmail {
			return strings.EqualFold(x, y)
		}
		return x == y
	case kindDecimal:
		an, aok := a.(types.Number)
		bn, bok := b.(types.Number)
		return aok && bok && customtypes.DecimalsEqual(an.ValueBigFloat(), bn.ValueBigFloat())
	case kindList, kindURLList:
		al, aok := a.(types.List)
		bl, bok := b.(types.List)
		if !aok || !bok {
			return false
		}
		ae, be := al.Elements(), bl.Elements()
		if len(ae) != len(be) {
			return false
		}
		for i := range ae {
			as, aok := ae[i].(types.String)
			bs, bok := be[i].(types.String)
			if !aok || !bok || as.IsUnknown() || bs.IsUnknown() ||
				strings.TrimSpace(as.ValueString()) != strings.TrimSpace(bs.ValueString()) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}

// createValue is the field's value in the create_project body, or nil to
// leave it out. Decimals are json.Number, so they travel exactly as written;
// whole numbers, and decimals the API's own example sends as text, are
// strings.
func (f *projectField) createValue(v attr.Value) any {
	if v == nil || v.IsNull() || v.IsUnknown() {
		return nil
	}
	switch tv := v.(type) {
	case types.String:
		return strings.TrimSpace(tv.ValueString())
	case types.Number:
		text := customtypes.FormatDecimal(tv.ValueBigFloat())
		if f.sendText {
			return text
		}
		return json.Number(text)
	case types.Int64:
		return strconv.FormatInt(tv.ValueInt64(), 10)
	case types.List:
		items := make([]string, 0, len(tv.Elements()))
		for _, e := range tv.Elements() {
			if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
				items = append(items, strings.TrimSpace(s.ValueString()))
			}
		}
		return items
	}
	return nil
}

// createProjectInput builds create_project's request from the planned
// values: the body, the org, and the natural key.
func createProjectInput(vals map[string]attr.Value) pipesolar.CreateProjectInput {
	in := pipesolar.CreateProjectInput{Body: map[string]any{}}
	for i := range projectFields {
		f := &projectFields[i]
		if !f.arg {
			continue
		}
		v := f.createValue(vals[f.name])
		if v == nil {
			continue
		}
		in.Body[f.name] = v
		if f.key && f.returned() {
			want, _ := v.(string)
			if n, ok := v.(json.Number); ok {
				want = string(n)
			}
			in.Key = append(in.Key, pipesolar.KeyField{Member: f.api, Want: want, Number: f.kind == kindDecimal})
		}
	}
	in.OrgID, _ = in.Body["org_id"].(string)
	return in
}

// projectFieldByName finds a row.
var projectFieldByName = sync.OnceValue(func() map[string]*projectField {
	m := make(map[string]*projectField, len(projectFields))
	for i := range projectFields {
		m[projectFields[i].name] = &projectFields[i]
	}
	return m
})

// projectAPIValues maps p onto every field fetch_project returns, plus id:
// the values of data pipesolar_project, of each element of data
// pipesolar_projects, and of what refresh reads into pipesolar_project.
func projectAPIValues(p *pipesolar.Project) map[string]attr.Value {
	vals := make(map[string]attr.Value, len(projectFields)+1)
	for i := range projectFields {
		f := &projectFields[i]
		if f.returned() {
			vals[f.name] = f.fromAPI(p)
		}
	}
	vals["id"] = types.StringNull()
	if id := strings.TrimSpace(p.ID); id != "" {
		vals["id"] = types.StringValue(id)
	}
	return vals
}
