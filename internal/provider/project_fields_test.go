package provider

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// A full v1 project, as the specification describes one.
const testProjectJSON = `{
  "id": "prj_8f3a", "reference": "D4YR1VSK7K", "leadId": "lead_77", "productLine": "solar",
  "stage": {"id": "stg_ntp", "name": "NTP", "enteredAt": "2026-11-02T10:00:00.000Z"},
  "soldAt": "2026-10-20T09:00:00.000Z", "updatedAt": "2026-11-02T10:00:00.123Z", "ntpGranted": true,
  "customer": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "phone": null},
  "coBorrower": null,
  "address": {"line1": "123 Solar St", "line2": null, "city": "Sunville", "state": "CA", "postalCode": "90210", "country": "US"},
  "meterNumber": null, "notes": {"customer": null, "project": "gate code 1234"},
  "source": {"name": "Web", "subSource": null}, "partnerLeadId": null, "utility": {"name": "PG&E"},
  "design": null, "company": {"name": "Sunville Solar"},
  "salesRep": {"name": "Rep", "email": "rep@example.com", "phone": null}, "setter": null,
  "projectManager": null, "siteSurveyor": null, "subcontractor": null,
  "contract": {"signedAt": null, "price": 18450.10, "salesTax": 0, "priceBeforeTax": 18450.10, "files": ["https://files.pipe.solar/c.pdf"]},
  "financing": {"type": "loan", "lender": "GoodLeap", "amount": 18450.10, "aprPercent": 3.99, "termMonths": 300,
    "monthlyPayment": 88.2, "dealerFeePercent": null, "escalatorPercent": null},
  "system": {"roofType": "comp shingle", "sizeKw": 8.50, "annualProductionKwh": 12000,
    "panels": {"count": 20, "manufacturer": "REC", "model": "Alpha 425"},
    "inverters": {"count": 20, "manufacturer": "Enphase", "model": "IQ8+", "name": "IQ8+", "microinverter": true},
    "batteries": null, "pricePerWatt": {"base": 2.9, "final": 3.1},
    "adders": [{"name": "Main panel upgrade", "quantity": 1, "total": 2500}]},
  "products": null,
  "milestones": {"installScheduled": "2027-03-15", "siteSurvey": "2026-10-25"},
  "customFields": {"hoa": "yes", "roof_age": 12.50, "battery_ready": true, "empty": null},
  "files": {"contract": ["https://files.pipe.solar/c.pdf"], "permit": []},
  "links": {"project": "https://app.pipe.solar/projects/prj_8f3a", "proposal": null}
}`

func testProject(t *testing.T) *pipesolar.Project {
	t.Helper()
	var p pipesolar.Project
	if err := json.Unmarshal([]byte(testProjectJSON), &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// get walks attribute names and map keys into a value.
func get(t *testing.T, v attr.Value, keys ...string) attr.Value {
	t.Helper()
	for _, k := range keys {
		switch x := v.(type) {
		case types.Object:
			v = x.Attributes()[k]
		case types.Map:
			v = x.Elements()[k]
		default:
			t.Fatalf("%s: cannot look up %q in %T", strings.Join(keys, "."), k, v)
		}
		if v == nil {
			t.Fatalf("%s: no %q", strings.Join(keys, "."), k)
		}
	}
	return v
}

func TestProjectValues(t *testing.T) {
	vals, err := projectValues(testProject(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	root := types.ObjectValueMust(fieldsObjectType(projectFields).AttrTypes, vals)
	for path, want := range map[string]string{
		"id": "prj_8f3a", "reference": "D4YR1VSK7K", "lead_id": "lead_77", "stage": "NTP", "stage_id": "stg_ntp",
		"stage_entered_at": "2026-11-02T10:00:00.000Z", "install_date": "2027-03-15",
		"customer.first_name": "Ada", "address.postal_code": "90210", "notes.project": "gate code 1234",
		"utility.name": "PG&E", "company.name": "Sunville Solar", "sales_rep.email": "rep@example.com",
		"financing.type": "loan", "system.panels.model": "Alpha 425",
		"milestones.siteSurvey": "2026-10-25", "links.project": "https://app.pipe.solar/projects/prj_8f3a",
		// Custom fields: numbers and booleans as their JSON text, as v1 wrote them.
		"custom_fields.hoa": "yes", "custom_fields.roof_age": "12.50", "custom_fields.battery_ready": "true",
	} {
		got, ok := get(t, root, strings.Split(path, ".")...).(types.String)
		if !ok || got.ValueString() != want {
			t.Errorf("%s = %v, want %q", path, got, want)
		}
	}
	for path, want := range map[string]string{
		"contract.price": "18450.1", "financing.apr_percent": "3.99", "financing.term_months": "300",
		"system.size_kw": "8.5", "system.price_per_watt.base": "2.9", "contract.sales_tax": "0",
	} {
		// As a decimal: "8.50" is 8.5, and 2.9 is 2.9 whatever its precision.
		got, ok := get(t, root, strings.Split(path, ".")...).(types.Number)
		if !ok || got.IsNull() || customtypes.FormatDecimal(got.ValueBigFloat()) != want {
			t.Errorf("%s = %v, want the decimal %s", path, got, want)
		}
	}
	for _, path := range []string{"co_borrower", "design", "setter", "system.batteries", "products",
		"customer.phone", "links.proposal", "financing.dealer_fee_percent", "meter_number"} {
		if v := get(t, root, strings.Split(path, ".")...); !v.IsNull() {
			t.Errorf("%s = %v, want null", path, v)
		}
	}
	if _, ok := vals["custom_fields"].(types.Map).Elements()["empty"]; ok {
		t.Error("a null custom field is kept")
	}
	if v := get(t, root, "system", "inverters", "microinverter"); !v.Equal(types.BoolValue(true)) {
		t.Errorf("microinverter = %v", v)
	}
	adders := get(t, root, "system").(types.Object).Attributes()["adders"].(types.List).Elements()
	if len(adders) != 1 || get(t, adders[0], "name").(types.String).ValueString() != "Main panel upgrade" {
		t.Errorf("adders = %v", adders)
	}
	if files := vals["files"].(types.Map).Elements(); len(files) != 2 || len(files["contract"].(types.List).Elements()) != 1 {
		t.Errorf("files = %v", files)
	}
}

// The stage is stored by what the prior state manages: the id when it has
// one, else the name, keeping the prior's case.
func TestProjectStateFromAPI_stage(t *testing.T) {
	p := testProject(t)
	for name, tc := range map[string]struct {
		prior            projectState
		stage, stageID   attr.Value
		projectID, since string
	}{
		"import": {prior: nil, stage: types.StringValue("NTP"), stageID: types.StringNull(), projectID: "prj_8f3a"},
		"by id": {prior: projectState{"stage_id": types.StringValue("stg_old"), "project_id": types.StringValue("D4YR1VSK7K")},
			stage: types.StringNull(), stageID: types.StringValue("stg_ntp"), projectID: "D4YR1VSK7K"},
		"by name, another case": {prior: projectState{"stage": types.StringValue("ntp"), "stage_id": types.StringNull()},
			stage: types.StringValue("ntp"), stageID: types.StringNull(), projectID: "prj_8f3a"},
		"by name, moved in the app": {prior: projectState{"stage": types.StringValue("Proposal")},
			stage: types.StringValue("NTP"), stageID: types.StringNull(), projectID: "prj_8f3a"},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := projectStateFromAPI(p, tc.prior)
			if err != nil {
				t.Fatal(err)
			}
			if !s["stage"].Equal(tc.stage) || !s["stage_id"].Equal(tc.stageID) {
				t.Errorf("stage %v, stage_id %v; want %v, %v", s["stage"], s["stage_id"], tc.stage, tc.stageID)
			}
			if s.text("project_id") != tc.projectID || s.text("id") != "prj_8f3a" {
				t.Errorf("project_id %q, id %q", s.text("project_id"), s.text("id"))
			}
			if _, d := types.ObjectValue(projectStateType().AttrTypes, s); d.HasError() {
				t.Errorf("not a state of the schema: %v", d)
			}
		})
	}
}

// Destroy calls nothing and warns exactly once, naming the project.
func TestProjectResource_deleteWarnsOnce(t *testing.T) {
	ctx := context.Background()
	r := NewProjectResource()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	s, err := projectStateFromAPI(testProject(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	if d := s.set(ctx, &state); d.HasError() {
		t.Fatal(d)
	}
	resp := resource.DeleteResponse{State: state}
	r.Delete(ctx, resource.DeleteRequest{State: state}, &resp) // no client configured: it must not need one
	if len(resp.Diagnostics) != 1 || resp.Diagnostics.WarningsCount() != 1 ||
		!strings.Contains(resp.Diagnostics[0].Detail(), "prj_8f3a") || !strings.Contains(resp.Diagnostics[0].Detail(), "untouched") {
		t.Errorf("diagnostics %v, want one warning naming prj_8f3a", resp.Diagnostics)
	}
}
