package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

var (
	_ datasource.DataSource              = &projectDataSource{}
	_ datasource.DataSourceWithConfigure = &projectDataSource{}
)

// NewProjectDataSource returns the pipesolar_project data source.
func NewProjectDataSource() datasource.DataSource { return &projectDataSource{} }

type projectDataSource struct{ data *providerData }

// The attributes of a project read from pipe.solar are shared by data
// pipesolar_project (top level, id required) and data pipesolar_projects
// (each element of `projects`, id computed). projectAttributes is the schema
// and projectValues the one mapping from the API object; they are keyed by the
// same names, which projectObjectType ties together (and a unit test checks).
//
// Values are built as attr.Values directly rather than through a tfsdk-tagged
// struct: the list data source builds tens of thousands of them, and the
// reflection path costs several allocations per attribute.

// projectAttributes returns the schema of every attribute fetch_project
// returns, except id.
func projectAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{MarkdownDescription: desc, Computed: true}
	}
	whole := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"first_name":      str("Customer's first name (`customerFirstName`)."),
		"last_name":       str("Customer's last name (`customerLastName`)."),
		"email":           str("Customer's email, lower-cased (`customerEmail`)."),
		"phone_number":    str("Customer's phone number (`customerPhoneNumber`)."),
		"address":         str("Customer's full address (`customerAddress`)."),
		"customer_street": str("Street part of the address."),
		"customer_city":   str("City part of the address."),
		"customer_state":  str("State part of the address."),
		"customer_zip":    str("ZIP code part of the address."),
		"secondary_customer": schema.SingleNestedAttribute{
			MarkdownDescription: "Second customer on the contract; null when there is none.",
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"first_name":   str("First name."),
				"last_name":    str("Last name."),
				"phone_number": str("Phone number."),
				"email":        str("Email, lower-cased."),
			},
		},
		"project_stage":        str("Current stage (`projectStatus`), for example `Contract Signed`."),
		"contract_signed_date": str("Date the contract was signed, `YYYY-MM-DD`."),
		"submitted_date":       str("Date the project was submitted, `YYYY-MM-DD`."),
		"project_site_id":      str("Site id (`projectSiteId`)."),
		"contract_url":         str("Signed contract document URL."),
		"proposal_url":         str("Proposal URL."),
		"project_url":          str("Project dashboard URL in pipe.solar."),
		"file_urls": schema.MapAttribute{
			MarkdownDescription: "Folder URLs (`allFilesURL`) keyed `survey_files`, `personal_files`, `utility_bills`, " +
				"`insurance_files`, `driver_license`, `installation_photos`, `plansets`, `materials`, `other_documents`, " +
				"`interconnection`, `permits`, `internal_documents`. Folders without a URL are left out.",
			ElementType: types.StringType,
			Computed:    true,
		},
		"system_size":         num("System size in kW (`systemSize`)."),
		"annual_production":   num("Estimated annual production in kWh (`estProduction`)."),
		"panel_count":         whole("Number of panels (`numberOfPanel`)."),
		"panel_model":         str("Panel model."),
		"inverter_count":      whole("Number of inverters (`numberOfInverter`)."),
		"inverter_name":       str("Inverter model."),
		"system_cost":         num("Contract price (`contractPrice`)."),
		"number_of_battery":   whole("Number of batteries."),
		"battery_name":        str("Battery model."),
		"finance_company":     str("Finance company."),
		"finance_amount":      num("Financed amount."),
		"apr":                 num("Finance APR in percent (`financeAPR`)."),
		"term_years":          whole("Finance term in years (`financeTerm`)."),
		"financing_type":      str("Finance type (`financeType`), for example `Loan`."),
		"base_ppw":            num("Base price per watt."),
		"final_ppw":           num("Final price per watt."),
		"adders":              schema.ListAttribute{MarkdownDescription: "Adders.", ElementType: types.StringType, Computed: true},
		"adders_cost":         num("Total cost of adders."),
		"sales_rep_name":      str("Sales rep's name."),
		"sales_rep_email":     str("Sales rep's email."),
		"sales_rep_phone":     str("Sales rep's phone."),
		"setter_name":         str("Setter's name."),
		"setter_email":        str("Setter's email."),
		"setter_phone":        str("Setter's phone."),
		"site_surveyor_name":  str("Site surveyor."),
		"sub_contractor_name": str("Subcontractor."),
	}
}

// projectObjectType is the type of one project: id plus projectAttributes.
// It is the type of data pipesolar_project's whole state and of each element
// of data pipesolar_projects' `projects`.
var projectObjectType = sync.OnceValue(func() types.ObjectType {
	attrs := projectAttributes()
	attrs["id"] = schema.StringAttribute{Computed: true}
	attrTypes := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		attrTypes[name] = a.GetType()
	}
	return types.ObjectType{AttrTypes: attrTypes}
})

// projectValues maps p onto projectObjectType's attributes: numbers the API
// writes as text become numbers, dates become YYYY-MM-DD, emails are
// lower-cased, and empty values are null.
func projectValues(p *pipesolar.Project) map[string]attr.Value {
	return map[string]attr.Value{
		"id":                   stringValue(p.ID),
		"first_name":           stringValue(p.CustomerFirstName),
		"last_name":            stringValue(p.CustomerLastName),
		"email":                stringValue(strings.ToLower(p.CustomerEmail)),
		"phone_number":         stringValue(p.CustomerPhoneNumber),
		"address":              stringValue(p.CustomerAddress),
		"customer_street":      stringValue(p.CustomerStreet),
		"customer_city":        stringValue(p.CustomerCity),
		"customer_state":       stringValue(p.CustomerState),
		"customer_zip":         stringValue(p.CustomerZip),
		"secondary_customer":   secondaryCustomerValue(p),
		"project_stage":        stringValue(p.ProjectStatus),
		"contract_signed_date": dateValue(p.ContractSignedDate),
		"submitted_date":       dateValue(p.SubmittedDate),
		"project_site_id":      stringValue(p.ProjectSiteID),
		"contract_url":         stringValue(p.ContractURL),
		"proposal_url":         stringValue(p.ProposalURL),
		"project_url":          stringValue(p.ProjectURL),
		"file_urls":            fileURLsValue(p.AllFilesURL),
		"system_size":          numberValue(p.SystemSize),
		"annual_production":    numberValue(p.EstProduction),
		"panel_count":          int64Value(p.NumberOfPanel),
		"panel_model":          stringValue(p.PanelModel),
		"inverter_count":       int64Value(p.NumberOfInverter),
		"inverter_name":        stringValue(p.InverterName),
		"system_cost":          numberValue(p.ContractPrice),
		"number_of_battery":    int64Value(p.NumberOfBattery),
		"battery_name":         stringValue(p.BatteryName),
		"finance_company":      stringValue(p.FinanceCompany),
		"finance_amount":       numberValue(p.FinanceAmount),
		"apr":                  numberValue(p.FinanceAPR),
		"term_years":           int64Value(p.FinanceTerm),
		"financing_type":       stringValue(p.FinanceType),
		"base_ppw":             numberValue(p.BasePPW),
		"final_ppw":            numberValue(p.FinalPPW),
		"adders":               stringListValue(p.Adders),
		"adders_cost":          numberValue(p.AddersCost),
		"sales_rep_name":       stringValue(p.SalesRepName),
		"sales_rep_email":      stringValue(p.SalesRepEmail),
		"sales_rep_phone":      stringValue(p.SalesRepPhone),
		"setter_name":          stringValue(p.SetterName),
		"setter_email":         stringValue(p.SetterEmail),
		"setter_phone":         stringValue(p.SetterPhone),
		"site_surveyor_name":   stringValue(p.SiteSurveyorName),
		"sub_contractor_name":  stringValue(p.SubContractorName),
	}
}

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := projectAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "Project id, as shown in the pipe.solar app (for example `D4YR1VSK7K`).",
		Required:            true,
		Validators:          []validator.String{blankRejected},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one pipe.solar project by id (`fetch_project`). Numbers the API returns as formatted " +
			"text (`\"18,450.01\"`) are numbers here; dates are ISO 8601 (`YYYY-MM-DD`); emails are lower-cased; " +
			"values the API leaves empty are null. An id pipe.solar does not know is an error (whether the API says so " +
			"with HTTP 404, an empty `data`, or HTTP 400 \"not found\").",
		Attributes: attrs,
	}
}

func (d *projectDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := client.GetProject(ctx, id.ValueString())
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Project not found",
				fmt.Sprintf("pipe.solar has no project with id %q (GET %s answered: %v). Check the id in the pipe.solar app.",
					id.ValueString(), pipesolar.EndpointFetchProject, err))
			return
		}
		resp.Diagnostics.AddError("Could not read pipe.solar project", apiErrorDetail(err, id.ValueString()))
		return
	}
	vals := projectValues(p)
	vals["id"] = id // the id as configured, whatever form the API echoes
	obj, diags := types.ObjectValue(projectObjectType().AttrTypes, vals)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
}

// apiErrorDetail explains an API failure for project id and what to do about
// it.
func apiErrorDetail(err error, id string) string {
	return fmt.Sprintf("Project %q: %v%s", id, err, apiErrorAdvice(err))
}

// apiErrorAdvice is a paragraph telling the user what to do about err, or "".
func apiErrorAdvice(err error) string {
	switch transport.KindOf(err) {
	case transport.KindUnauthorized:
		return "\n\nThe API token was refused: check `api_token` / PIPESOLAR_API_TOKEN."
	case transport.KindForbidden:
		return "\n\nThe API token was accepted but may not access this: check its permissions in pipe.solar."
	case transport.KindServer, transport.KindRateLimited:
		return "\n\nThe service is failing or overloaded; retries were exhausted. Try again later, or raise max_retries."
	}
	return ""
}
