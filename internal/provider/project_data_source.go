package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

// projectDataModel is everything fetch_project returns, in Terraform's
// names and types.
type projectDataModel struct {
	ID                types.String `tfsdk:"id"`
	FirstName         types.String `tfsdk:"first_name"`
	LastName          types.String `tfsdk:"last_name"`
	Email             types.String `tfsdk:"email"`
	PhoneNumber       types.String `tfsdk:"phone_number"`
	Address           types.String `tfsdk:"address"`
	CustomerStreet    types.String `tfsdk:"customer_street"`
	CustomerCity      types.String `tfsdk:"customer_city"`
	CustomerState     types.String `tfsdk:"customer_state"`
	CustomerZip       types.String `tfsdk:"customer_zip"`
	SecondaryCustomer types.Object `tfsdk:"secondary_customer"`
	ProjectStage      types.String `tfsdk:"project_stage"`
	ContractSigned    types.String `tfsdk:"contract_signed_date"`
	SubmittedDate     types.String `tfsdk:"submitted_date"`
	ProjectSiteID     types.String `tfsdk:"project_site_id"`
	ContractURL       types.String `tfsdk:"contract_url"`
	ProposalURL       types.String `tfsdk:"proposal_url"`
	ProjectURL        types.String `tfsdk:"project_url"`
	FileURLs          types.Map    `tfsdk:"file_urls"`
	SystemSize        types.Number `tfsdk:"system_size"`
	AnnualProduction  types.Number `tfsdk:"annual_production"`
	PanelCount        types.Int64  `tfsdk:"panel_count"`
	PanelModel        types.String `tfsdk:"panel_model"`
	InverterCount     types.Int64  `tfsdk:"inverter_count"`
	InverterName      types.String `tfsdk:"inverter_name"`
	SystemCost        types.Number `tfsdk:"system_cost"`
	NumberOfBattery   types.Int64  `tfsdk:"number_of_battery"`
	BatteryName       types.String `tfsdk:"battery_name"`
	FinanceCompany    types.String `tfsdk:"finance_company"`
	FinanceAmount     types.Number `tfsdk:"finance_amount"`
	APR               types.Number `tfsdk:"apr"`
	TermYears         types.Int64  `tfsdk:"term_years"`
	FinancingType     types.String `tfsdk:"financing_type"`
	BasePPW           types.Number `tfsdk:"base_ppw"`
	FinalPPW          types.Number `tfsdk:"final_ppw"`
	Adders            types.List   `tfsdk:"adders"`
	AddersCost        types.Number `tfsdk:"adders_cost"`
	SalesRepName      types.String `tfsdk:"sales_rep_name"`
	SalesRepEmail     types.String `tfsdk:"sales_rep_email"`
	SalesRepPhone     types.String `tfsdk:"sales_rep_phone"`
	SetterName        types.String `tfsdk:"setter_name"`
	SetterEmail       types.String `tfsdk:"setter_email"`
	SetterPhone       types.String `tfsdk:"setter_phone"`
	SiteSurveyorName  types.String `tfsdk:"site_surveyor_name"`
	SubContractorName types.String `tfsdk:"sub_contractor_name"`
}

// fill sets every attribute from p.
func (m *projectDataModel) fill(p *pipesolar.Project) {
	m.ID = types.StringValue(p.ID)
	m.FirstName = stringValue(p.CustomerFirstName)
	m.LastName = stringValue(p.CustomerLastName)
	m.Email = stringValue(strings.ToLower(p.CustomerEmail))
	m.PhoneNumber = stringValue(p.CustomerPhoneNumber)
	m.Address = stringValue(p.CustomerAddress)
	m.CustomerStreet = stringValue(p.CustomerStreet)
	m.CustomerCity = stringValue(p.CustomerCity)
	m.CustomerState = stringValue(p.CustomerState)
	m.CustomerZip = stringValue(p.CustomerZip)
	m.SecondaryCustomer = secondaryCustomerValue(p)
	m.ProjectStage = stringValue(p.ProjectStatus)
	m.ContractSigned = dateValue(p.ContractSignedDate)
	m.SubmittedDate = dateValue(p.SubmittedDate)
	m.ProjectSiteID = stringValue(p.ProjectSiteID)
	m.ContractURL = stringValue(p.ContractURL)
	m.ProposalURL = stringValue(p.ProposalURL)
	m.ProjectURL = stringValue(p.ProjectURL)
	m.FileURLs = fileURLsValue(p.AllFilesURL)
	m.SystemSize = numberValue(p.SystemSize)
	m.AnnualProduction = numberValue(p.EstProduction)
	m.PanelCount = int64Value(p.NumberOfPanel)
	m.PanelModel = stringValue(p.PanelModel)
	m.InverterCount = int64Value(p.NumberOfInverter)
	m.InverterName = stringValue(p.InverterName)
	m.SystemCost = numberValue(p.ContractPrice)
	m.NumberOfBattery = int64Value(p.NumberOfBattery)
	m.BatteryName = stringValue(p.BatteryName)
	m.FinanceCompany = stringValue(p.FinanceCompany)
	m.FinanceAmount = numberValue(p.FinanceAmount)
	m.APR = numberValue(p.FinanceAPR)
	m.TermYears = int64Value(p.FinanceTerm)
	m.FinancingType = stringValue(p.FinanceType)
	m.BasePPW = numberValue(p.BasePPW)
	m.FinalPPW = numberValue(p.FinalPPW)
	m.Adders = stringListValue(p.Adders)
	m.AddersCost = numberValue(p.AddersCost)
	m.SalesRepName = stringValue(p.SalesRepName)
	m.SalesRepEmail = stringValue(p.SalesRepEmail)
	m.SalesRepPhone = stringValue(p.SalesRepPhone)
	m.SetterName = stringValue(p.SetterName)
	m.SetterEmail = stringValue(p.SetterEmail)
	m.SetterPhone = stringValue(p.SetterPhone)
	m.SiteSurveyorName = stringValue(p.SiteSurveyorName)
	m.SubContractorName = stringValue(p.SubContractorName)
}

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{MarkdownDescription: desc, Computed: true}
	}
	whole := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one pipe.solar project by id (`fetch_project`). Numbers the API returns as formatted " +
			"text (`\"18,450.01\"`) are numbers here; dates are ISO 8601 (`YYYY-MM-DD`); values the API leaves empty are null.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Project id, as shown in the pipe.solar app (for example `D4YR1VSK7K`).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
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
				MarkdownDescription: "Second customer on the contract, when there is one.",
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
					"`interconnection`, `permits`, `internal_documents`.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"system_size":         num("System size in kW (`systemSize`)."),
			"annual_production":   num("Estimated annual production in kWh (`estProduction`)."),
			"panel_count":         whole("Number of panels."),
			"panel_model":         str("Panel model."),
			"inverter_count":      whole("Number of inverters."),
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
		},
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
	var m projectDataModel
	m.fill(p)
	m.ID = id
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// apiErrorDetail explains an API failure and what to do about it.
func apiErrorDetail(err error, id string) string {
	advice := ""
	switch transport.KindOf(err) {
	case transport.KindUnauthorized:
		advice = "\n\nThe API token was refused: check `api_token` / PIPESOLAR_API_TOKEN."
	case transport.KindForbidden:
		advice = "\n\nThe API token may not access this project: check its permissions in pipe.solar."
	case transport.KindServer, transport.KindRateLimited:
		advice = "\n\nThe service is failing or overloaded; retries were exhausted. Try again later, or raise max_retries."
	}
	return fmt.Sprintf("Project %q: %v%s", id, err, advice)
}
