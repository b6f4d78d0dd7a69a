package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
	_ resource.ResourceWithModifyPlan  = &projectResource{}
)

const (
	defaultProjectTimeout = 5 * time.Minute
	defaultReadTimeout    = 2 * time.Minute
)

// NewProjectResource returns the pipesolar_project resource.
func NewProjectResource() resource.Resource { return &projectResource{} }

type projectResource struct{ data *providerData }

// projectResourceModel is the pipesolar_project resource.
type projectResourceModel struct {
	ID types.String `tfsdk:"id"`

	// Arguments, named as create_project names them.
	Address           customtypes.StringValue  `tfsdk:"address"`
	FirstName         customtypes.StringValue  `tfsdk:"first_name"`
	LastName          customtypes.StringValue  `tfsdk:"last_name"`
	Email             customtypes.StringValue  `tfsdk:"email"`
	PhoneNumber       customtypes.StringValue  `tfsdk:"phone_number"`
	OrgID             customtypes.StringValue  `tfsdk:"org_id"`
	SalesRep          customtypes.StringValue  `tfsdk:"sales_rep"`
	Setter            customtypes.StringValue  `tfsdk:"setter"`
	SystemSize        customtypes.DecimalValue `tfsdk:"system_size"`
	AnnualProduction  customtypes.DecimalValue `tfsdk:"annual_production"`
	Consumption       customtypes.DecimalValue `tfsdk:"consumption"`
	SystemCost        customtypes.DecimalValue `tfsdk:"system_cost"`
	FinalPPW          customtypes.DecimalValue `tfsdk:"final_ppw"`
	BasePPW           customtypes.DecimalValue `tfsdk:"base_ppw"`
	AdderPPW          customtypes.DecimalValue `tfsdk:"adder_ppw"`
	FinancingType     customtypes.StringValue  `tfsdk:"financing_type"`
	TermYears         types.Int64              `tfsdk:"term_years"`
	APR               customtypes.DecimalValue `tfsdk:"apr"`
	ProjectStage      customtypes.StringValue  `tfsdk:"project_stage"`
	PanelProfileID    customtypes.StringValue  `tfsdk:"panel_profile_id"`
	PanelCount        types.Int64              `tfsdk:"panel_count"`
	InverterProfileID customtypes.StringValue  `tfsdk:"inverter_profile_id"`
	InverterCount     types.Int64              `tfsdk:"inverter_count"`
	LeasePPARate      customtypes.DecimalValue `tfsdk:"lease_ppa_rate"`
	PreITCPayment     customtypes.DecimalValue `tfsdk:"pre_itc_payment"`
	EscalatorRate     customtypes.DecimalValue `tfsdk:"escalator_rate"`
	SiteSurveyPhotos  types.List               `tfsdk:"site_survey_photos"`
	Adders            types.List               `tfsdk:"adders"`

	// Read-only, from fetch_project.
	CustomerStreet    types.String `tfsdk:"customer_street"`
	CustomerCity      types.String `tfsdk:"customer_city"`
	CustomerState     types.String `tfsdk:"customer_state"`
	CustomerZip       types.String `tfsdk:"customer_zip"`
	SecondaryCustomer types.Object `tfsdk:"secondary_customer"`
	ContractSigned    types.String `tfsdk:"contract_signed_date"`
	SubmittedDate     types.String `tfsdk:"submitted_date"`
	ProjectSiteID     types.String `tfsdk:"project_site_id"`
	ContractURL       types.String `tfsdk:"contract_url"`
	ProposalURL       types.String `tfsdk:"proposal_url"`
	ProjectURL        types.String `tfsdk:"project_url"`
	FileURLs          types.Map    `tfsdk:"file_urls"`
	PanelModel        types.String `tfsdk:"panel_model"`
	InverterName      types.String `tfsdk:"inverter_name"`
	NumberOfBattery   types.Int64  `tfsdk:"number_of_battery"`
	BatteryName       types.String `tfsdk:"battery_name"`
	FinanceCompany    types.String `tfsdk:"finance_company"`
	FinanceAmount     types.Number `tfsdk:"finance_amount"`
	AddersCost        types.Number `tfsdk:"adders_cost"`
	SalesRepName      types.String `tfsdk:"sales_rep_name"`
	SalesRepEmail     types.String `tfsdk:"sales_rep_email"`
	SalesRepPhone     types.String `tfsdk:"sales_rep_phone"`
	SetterName        types.String `tfsdk:"setter_name"`
	SetterEmail       types.String `tfsdk:"setter_email"`
	SetterPhone       types.String `tfsdk:"setter_phone"`
	SiteSurveyorName  types.String `tfsdk:"site_surveyor_name"`
	SubContractorName types.String `tfsdk:"sub_contractor_name"`

	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// projectArg describes one argument for the plan rules: whether
// fetch_project returns it, whether create_project requires it, and how to
// reach it in the model.
type projectArg struct {
	name     string
	returned bool // fetch_project maps it back, so refresh sees changes
	required bool // create_project requires it
	get      func(m *projectResourceModel) attr.Value
	copy     func(dst, src *projectResourceModel)
}

func arg[T attr.Value](name string, returned, required bool, field func(m *projectResourceModel) *T) projectArg {
	return projectArg{
		name: name, returned: returned, required: required,
		get:  func(m *projectResourceModel) attr.Value { return *field(m) },
		copy: func(dst, src *projectResourceModel) { *field(dst) = *field(src) },
	}
}

// projectArgs lists every argument. project_stage is the only one pipe.solar
// can change on an existing project.
var projectArgs = []projectArg{
	arg("address", true, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.Address }),
	arg("first_name", true, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.FirstName }),
	arg("last_name", true, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.LastName }),
	arg("email", true, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.Email }),
	arg("phone_number", true, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.PhoneNumber }),
	arg("org_id", false, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.OrgID }),
	arg("sales_rep", false, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.SalesRep }),
	arg("setter", false, true, func(m *projectResourceModel) *customtypes.StringValue { return &m.Setter }),
	arg("system_size", true, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.SystemSize }),
	arg("annual_production", true, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.AnnualProduction }),
	arg("consumption", false, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.Consumption }),
	arg("system_cost", true, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.SystemCost }),
	arg("final_ppw", true, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.FinalPPW }),
	arg("base_ppw", true, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.BasePPW }),
	arg("adder_ppw", false, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.AdderPPW }),
	arg("financing_type", true, false, func(m *projectResourceModel) *customtypes.StringValue { return &m.FinancingType }),
	arg("term_years", true, false, func(m *projectResourceModel) *types.Int64 { return &m.TermYears }),
	arg("apr", true, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.APR }),
	arg("project_stage", true, false, func(m *projectResourceModel) *customtypes.StringValue { return &m.ProjectStage }),
	arg("panel_profile_id", false, false, func(m *projectResourceModel) *customtypes.StringValue { return &m.PanelProfileID }),
	arg("panel_count", true, false, func(m *projectResourceModel) *types.Int64 { return &m.PanelCount }),
	arg("inverter_profile_id", false, false, func(m *projectResourceModel) *customtypes.StringValue { return &m.InverterProfileID }),
	arg("inverter_count", true, false, func(m *projectResourceModel) *types.Int64 { return &m.InverterCount }),
	arg("lease_ppa_rate", false, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.LeasePPARate }),
	arg("pre_itc_payment", false, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.PreITCPayment }),
	arg("escalator_rate", false, false, func(m *projectResourceModel) *customtypes.DecimalValue { return &m.EscalatorRate }),
	arg("site_survey_photos", false, false, func(m *projectResourceModel) *types.List { return &m.SiteSurveyPhotos }),
	arg("adders", true, false, func(m *projectResourceModel) *types.List { return &m.Adders }),
}

var (
	emailPattern    = regexp.MustCompile(`^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$`)
	trimmedString   = customtypes.TrimmedStringType()
	caseInsensitive = customtypes.CaseInsensitiveStringType()
)

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	text := func(desc string, typ customtypes.StringType, validators ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: desc, CustomType: typ, Optional: true, Computed: true,
			Validators: validators,
		}
	}
	decimal := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{
			MarkdownDescription: desc + " Compared to the cent, as pipe.solar stores it.",
			CustomType:          customtypes.DecimalType{}, Optional: true, Computed: true,
			Validators: []validator.Number{nonNegativeNumber{}},
		}
	}
	whole := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{
			MarkdownDescription: desc, Optional: true, Computed: true,
			Validators: []validator.Int64{int64validator.AtLeast(0)},
		}
	}
	ro := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	roNum := func(desc string) schema.NumberAttribute {
		return schema.NumberAttribute{MarkdownDescription: desc, Computed: true}
	}
	nonEmpty := stringvalidator.LengthAtLeast(1)
	createOnly := " Required to create a project. pipe.solar cannot change it afterwards."
	notReturned := " pipe.solar does not return it, so refresh cannot see changes made in the app; after an import it is taken from the configuration."

	resp.Schema = schema.Schema{
		MarkdownDescription: "A pipe.solar project (`create_project`, `fetch_project`).\n\n" +
			"Only `project_stage` can change on an existing project (`update_stage`); pipe.solar has no update or delete " +
			"API. A plan that would change any other argument fails with an error that names the attribute, its current " +
			"and wanted value, and the ways out. Nothing is replaced by accident.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Project id as pipe.solar assigns it (for example `D4YR1VSK7K`).",
				Computed:            true,
			},
			"address":      text("Customer's full address, for example `123 Solar St, Sunville, CA 90210`."+createOnly, trimmedString, nonEmpty),
			"first_name":   text("Customer's first name."+createOnly, trimmedString, nonEmpty),
			"last_name":    text("Customer's last name."+createOnly, trimmedString, nonEmpty),
			"email":        text("Customer's email. pipe.solar lower-cases it; case never shows as a difference."+createOnly, caseInsensitive, stringvalidator.RegexMatches(emailPattern, "must be an email address like name@example.com")),
			"phone_number": text("Customer's phone number."+createOnly, trimmedString, nonEmpty),
			"org_id":       text("Organisation the project belongs to."+createOnly+notReturned, trimmedString, nonEmpty),
			"sales_rep":    text("Sales rep (as pipe.solar identifies them, usually an email)."+createOnly+notReturned, trimmedString, nonEmpty),
			"setter":       text("Setter (as pipe.solar identifies them, usually an email)."+createOnly+notReturned, trimmedString, nonEmpty),

			"system_size":       decimal("System size in kW (`systemSize`)."),
			"annual_production": decimal("Estimated annual production in kWh (`estProduction`)."),
			"consumption":       decimal("Annual consumption in kWh." + notReturned),
			"system_cost":       decimal("System cost (`contractPrice`)."),
			"final_ppw":         decimal("Final price per watt."),
			"base_ppw":          decimal("Base price per watt."),
			"adder_ppw":         decimal("Adders price per watt." + notReturned),
			"apr":               decimal("Finance APR in percent (`financeAPR`)."),
			"lease_ppa_rate":    decimal("Lease or PPA rate." + notReturned),
			"pre_itc_payment":   decimal("Payment before the investment tax credit." + notReturned),
			"escalator_rate":    decimal("Escalator rate in percent." + notReturned),

			"financing_type": text("Finance type (`financeType`), for example `Loan`, `Cash`, `Lease`, `PPA`.", trimmedString, nonEmpty),
			"term_years":     whole("Finance term in years (`financeTerm`)."),
			"panel_count":    whole("Number of panels."),
			"inverter_count": whole("Number of inverters."),
			"panel_profile_id": text("Panel profile id; pipe.solar derives `panel_model` from it."+notReturned,
				trimmedString, nonEmpty),
			"inverter_profile_id": text("Inverter profile id; pipe.solar derives `inverter_name` from it."+notReturned,
				trimmedString, nonEmpty),
			"project_stage": text("Stage (`projectStatus`), for example `New Lead` or `NTP`; must be a stage configured "+
				"in pipe.solar. The only argument that changes in place (`update_stage`). When unset, the project starts in "+
				"pipe.solar's default stage and the stage set in the app is shown without a diff. Do not also manage the "+
				"stage with `pipesolar_project_stage`.", trimmedString, nonEmpty),
			"site_survey_photos": schema.ListAttribute{
				MarkdownDescription: "URLs of site survey photos." + notReturned,
				ElementType:         types.StringType, Optional: true, Computed: true,
				Validators: []validator.List{listvalidator.ValueStringsAre(validate.HTTPURL())},
			},
			"adders": schema.ListAttribute{
				MarkdownDescription: "Adders, for example `Main panel upgrade`.",
				ElementType:         types.StringType, Optional: true, Computed: true,
				Validators: []validator.List{listvalidator.ValueStringsAre(nonEmpty)},
			},

			"customer_street": ro("Street part of the address, as pipe.solar parsed it."),
			"customer_city":   ro("City part of the address."),
			"customer_state":  ro("State part of the address."),
			"customer_zip":    ro("ZIP code part of the address."),
			"secondary_customer": schema.SingleNestedAttribute{
				MarkdownDescription: "Second customer on the contract, when there is one (set in the pipe.solar app).",
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"first_name":   schema.StringAttribute{MarkdownDescription: "First name.", Computed: true},
					"last_name":    schema.StringAttribute{MarkdownDescription: "Last name.", Computed: true},
					"phone_number": schema.StringAttribute{MarkdownDescription: "Phone number.", Computed: true},
					"email":        schema.StringAttribute{MarkdownDescription: "Email, lower-cased.", Computed: true},
				},
			},
			"contract_signed_date": ro("Date the contract was signed, `YYYY-MM-DD`."),
			"submitted_date":       ro("Date the project was submitted, `YYYY-MM-DD`."),
			"project_site_id":      ro("Site id (`projectSiteId`)."),
			"contract_url":         ro("Signed contract document URL."),
			"proposal_url":         ro("Proposal URL."),
			"project_url":          ro("Project dashboard URL in pipe.solar."),
			"file_urls": schema.MapAttribute{
				MarkdownDescription: "Folder URLs keyed `survey_files`, `personal_files`, `utility_bills`, `insurance_files`, " +
					"`driver_license`, `installation_photos`, `plansets`, `materials`, `other_documents`, `interconnection`, " +
					"`permits`, `internal_documents`.",
				ElementType: types.StringType,
				Computed:    true,
			},
			"panel_model":         ro("Panel model."),
			"inverter_name":       ro("Inverter model."),
			"number_of_battery":   schema.Int64Attribute{MarkdownDescription: "Number of batteries.", Computed: true},
			"battery_name":        ro("Battery model."),
			"finance_company":     ro("Finance company."),
			"finance_amount":      roNum("Financed amount."),
			"adders_cost":         roNum("Total cost of adders."),
			"sales_rep_name":      ro("Sales rep's name."),
			"sales_rep_email":     ro("Sales rep's email."),
			"sales_rep_phone":     ro("Sales rep's phone."),
			"setter_name":         ro("Setter's name."),
			"setter_email":        ro("Setter's email."),
			"setter_phone":        ro("Setter's phone."),
			"site_surveyor_name":  ro("Site surveyor."),
			"sub_contractor_name": ro("Subcontractor."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true}),
		},
	}
}

func (r *projectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if strings.TrimSpace(req.ID) == "" {
		resp.Diagnostics.AddError("Invalid import id", "Import a pipe.solar project by its id, for example `terraform import pipesolar_project.example D4YR1VSK7K`.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), strings.TrimSpace(req.ID))...)
}

// semanticallyEqual compares two values of one argument the way pipe.solar
// stores them.
func semanticallyEqual(a, b attr.Value) bool {
	switch av := a.(type) {
	case customtypes.StringValue:
		bv, ok := b.(customtypes.StringValue)
		return ok && av.SemanticallyEqual(bv)
	case customtypes.DecimalValue:
		bv, ok := b.(customtypes.DecimalValue)
		return ok && av.SemanticallyEqual(bv)
	case types.List:
		bv, ok := b.(types.List)
		if !ok || av.IsUnknown() || bv.IsUnknown() {
			return false
		}
		// An empty list and no list are the same to the API.
		if len(av.Elements()) == 0 && len(bv.Elements()) == 0 {
			return true
		}
		return av.Equal(bv)
	}
	return a.Equal(b)
}

// display renders a value for an error message.
func display(v attr.Value) string {
	switch {
	case v.IsNull():
		return "(not set)"
	case v.IsUnknown():
		return "(known after apply)"
	}
	switch tv := v.(type) {
	case customtypes.DecimalValue:
		return customtypes.FormatDecimal(tv.ValueBigFloat())
	case customtypes.StringValue:
		return strconv.Quote(tv.ValueString())
	}
	return v.String()
}

func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Destroying pipesolar_project does not delete the project",
			"pipe.solar has no API to delete a project. Destroying this resource only removes it from Terraform state; "+
				"the project stays in pipe.solar. Archive or delete it in the pipe.solar app if it should go.")
		return
	}
	if req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes (the common case in a refresh plan): no rule to
		// apply, and decoding three models per resource is not free.
		return
	}
	var plan, config projectResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if req.State.Raw.IsNull() {
		// Create: the API's required fields are checked here, so the schema
		// can keep them optional for import and -generate-config-out.
		for _, a := range projectArgs {
			if a.required && a.get(&config).IsNull() {
				resp.Diagnostics.AddAttributeError(path.Root(a.name), "Missing required argument",
					fmt.Sprintf("The argument %q is required to create a pipe.solar project.", a.name))
			}
		}
		return
	}

	var state projectResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values Terraform left unknown keep their stored value: the id, the
	// read-only attributes, and arguments the configuration does not set.
	// (Done here once rather than by a plan modifier per attribute, which
	// costs the framework a schema walk per attribute per resource.)
	plan.ID = state.ID
	for _, a := range projectArgs {
		if a.get(&config).IsNull() && a.get(&plan).IsUnknown() {
			a.copy(&plan, &state)
		}
	}
	stageChanges := false
	var adopted []string
	for _, a := range projectArgs {
		planned, current := a.get(&plan), a.get(&state)
		switch {
		case semanticallyEqual(planned, current):
			// Only formatting differs (an email's case, 8.5 vs 8.50):
			// keep the stored value so nothing is planned.
			a.copy(&plan, &state)
		case planned.IsUnknown():
			if a.name == "project_stage" {
				stageChanges = true
				continue
			}
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Value unknown until apply",
				fmt.Sprintf("%s depends on a value that is known only during apply, so the provider cannot check that it "+
					"does not change, and pipe.solar cannot change it on an existing project (current value: %s). "+
					"Use a value known at plan time.", a.name, display(current)))
		case a.name == "project_stage":
			stageChanges = true
		case current.IsNull() && !a.returned:
			// After an import: pipe.solar cannot return this argument, so
			// the configuration's value is recorded without an API call.
			adopted = append(adopted, a.name)
		default:
			resp.Diagnostics.AddAttributeError(path.Root(a.name), "Cannot change "+a.name+" of an existing project",
				fmt.Sprintf("pipe.solar can change only project_stage of an existing project; it has no API to change %s.\n\n"+
					"  current value: %s\n  configuration: %s\n\n"+
					"To resolve, do one of:\n"+
					"  1. change the configuration back to the current value;\n"+
					"  2. ignore the difference: lifecycle { ignore_changes = [%s] };\n"+
					"  3. create a new project with `terraform apply -replace=<this resource's address>`. The old project "+
					"is not deleted: pipe.solar has no delete API, so remove it in the app.",
					a.name, display(current), display(planned), a.name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if stageChanges {
		// Values pipe.solar derives from the stage (contract_signed_date, ...)
		// are read again after the change.
		unknownComputed(&plan)
	} else {
		plan.copyComputed(&state)
	}
	if len(adopted) > 0 {
		resp.Diagnostics.AddWarning("Arguments recorded from configuration",
			fmt.Sprintf("pipe.solar does not return %s, so they are recorded in state from the configuration without "+
				"calling the API (as after an import). Make sure they match the project in pipe.solar.", strings.Join(adopted, ", ")))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// copyComputed copies the read-only attributes from src.
func (m *projectResourceModel) copyComputed(src *projectResourceModel) {
	saved := *m
	*m = *src
	m.ID, m.Timeouts = saved.ID, saved.Timeouts
	for _, a := range projectArgs {
		a.copy(m, &saved)
	}
}

// unknownComputed marks the read-only attributes as known after apply.
func unknownComputed(m *projectResourceModel) {
	for _, s := range []*types.String{&m.CustomerStreet, &m.CustomerCity, &m.CustomerState, &m.CustomerZip,
		&m.ContractSigned, &m.SubmittedDate, &m.ProjectSiteID, &m.ContractURL, &m.ProposalURL, &m.ProjectURL,
		&m.PanelModel, &m.InverterName, &m.BatteryName, &m.FinanceCompany, &m.SalesRepName, &m.SalesRepEmail,
		&m.SalesRepPhone, &m.SetterName, &m.SetterEmail, &m.SetterPhone, &m.SiteSurveyorName, &m.SubContractorName} {
		*s = types.StringUnknown()
	}
	m.SecondaryCustomer = types.ObjectUnknown(secondaryCustomerAttrTypes)
	m.FileURLs = types.MapUnknown(types.StringType)
	m.NumberOfBattery = types.Int64Unknown()
	m.FinanceAmount = types.NumberUnknown()
	m.AddersCost = types.NumberUnknown()
}

// createInput builds the create_project body from a plan.
func createInput(ctx context.Context, m *projectResourceModel) (pipesolar.CreateProjectInput, diag.Diagnostics) {
	str := func(v customtypes.StringValue) string { return strings.TrimSpace(v.ValueString()) }
	num := func(v customtypes.DecimalValue) json.Number {
		if v.IsNull() || v.IsUnknown() {
			return ""
		}
		return json.Number(customtypes.FormatDecimal(v.ValueBigFloat()))
	}
	numText := func(v customtypes.DecimalValue) string { return string(num(v)) }
	whole := func(v types.Int64) string {
		if v.IsNull() || v.IsUnknown() {
			return ""
		}
		return strconv.FormatInt(v.ValueInt64(), 10)
	}
	in := pipesolar.CreateProjectInput{
		Address: str(m.Address), FirstName: str(m.FirstName), LastName: str(m.LastName), Email: str(m.Email),
		PhoneNumber: str(m.PhoneNumber), OrgID: str(m.OrgID), SalesRep: str(m.SalesRep), Setter: str(m.Setter),
		SystemSize: num(m.SystemSize), AnnualProduction: num(m.AnnualProduction), Consumption: num(m.Consumption),
		SystemCost: num(m.SystemCost), FinalPPW: num(m.FinalPPW), BasePPW: num(m.BasePPW), AdderPPW: num(m.AdderPPW),
		APR: num(m.APR), FinancingType: str(m.FinancingType), TermYears: whole(m.TermYears),
		ProjectStage: str(m.ProjectStage), PanelProfileID: str(m.PanelProfileID), PanelCount: whole(m.PanelCount),
		InverterProfileID: str(m.InverterProfileID), InverterCount: whole(m.InverterCount),
		LeasePPARate: numText(m.LeasePPARate), PreITCPayment: numText(m.PreITCPayment), EscalatorRate: numText(m.EscalatorRate),
	}
	var diags diag.Diagnostics
	if !m.SiteSurveyPhotos.IsNull() && !m.SiteSurveyPhotos.IsUnknown() {
		diags.Append(m.SiteSurveyPhotos.ElementsAs(ctx, &in.SiteSurveyPhotos, false)...)
	}
	if !m.Adders.IsNull() && !m.Adders.IsUnknown() {
		diags.Append(m.Adders.ElementsAs(ctx, &in.Adders, false)...)
	}
	return in, diags
}

// fillFromAPI sets what fetch_project returns. Arguments the API returns are
// overwritten only where overwrite says so (Read: all; Create/Update: the
// ones that were unknown in the plan); the rest stay as they are.
func (m *projectResourceModel) fillFromAPI(p *pipesolar.Project, overwrite func(name string, current attr.Value) bool) {
	set := func(name string, field *customtypes.StringValue, typ customtypes.StringType, v string) {
		if overwrite(name, *field) {
			if v = strings.TrimSpace(v); v == "" {
				*field = typ.Null()
			} else {
				*field = typ.Known(v)
			}
		}
	}
	setNum := func(name string, field *customtypes.DecimalValue, v string) {
		if overwrite(name, *field) {
			f, _ := pipesolar.ParseNumber(v)
			*field = customtypes.NewDecimal(customtypes.Compact(f))
		}
	}
	setInt := func(name string, field *types.Int64, v string) {
		if overwrite(name, *field) {
			*field = int64Value(v)
		}
	}
	set("address", &m.Address, trimmedString, p.CustomerAddress)
	set("first_name", &m.FirstName, trimmedString, p.CustomerFirstName)
	set("last_name", &m.LastName, trimmedString, p.CustomerLastName)
	set("email", &m.Email, caseInsensitive, p.CustomerEmail)
	set("phone_number", &m.PhoneNumber, trimmedString, p.CustomerPhoneNumber)
	setNum("system_size", &m.SystemSize, p.SystemSize)
	setNum("annual_production", &m.AnnualProduction, p.EstProduction)
	setNum("system_cost", &m.SystemCost, p.ContractPrice)
	setNum("final_ppw", &m.FinalPPW, p.FinalPPW)
	setNum("base_ppw", &m.BasePPW, p.BasePPW)
	setNum("apr", &m.APR, p.FinanceAPR)
	set("financing_type", &m.FinancingType, trimmedString, p.FinanceType)
	setInt("term_years", &m.TermYears, p.FinanceTerm)
	set("project_stage", &m.ProjectStage, trimmedString, p.ProjectStatus)
	setInt("panel_count", &m.PanelCount, p.NumberOfPanel)
	setInt("inverter_count", &m.InverterCount, p.NumberOfInverter)
	if overwrite("adders", m.Adders) {
		m.Adders = stringListValue(p.Adders)
	}

	m.CustomerStreet = stringValue(p.CustomerStreet)
	m.CustomerCity = stringValue(p.CustomerCity)
	m.CustomerState = stringValue(p.CustomerState)
	m.CustomerZip = stringValue(p.CustomerZip)
	m.SecondaryCustomer = secondaryCustomerValue(p)
	m.ContractSigned = dateValue(p.ContractSignedDate)
	m.SubmittedDate = dateValue(p.SubmittedDate)
	m.ProjectSiteID = stringValue(p.ProjectSiteID)
	m.ContractURL = stringValue(p.ContractURL)
	m.ProposalURL = stringValue(p.ProposalURL)
	m.ProjectURL = stringValue(p.ProjectURL)
	m.FileURLs = fileURLsValue(p.AllFilesURL)
	m.PanelModel = stringValue(p.PanelModel)
	m.InverterName = stringValue(p.InverterName)
	m.NumberOfBattery = int64Value(p.NumberOfBattery)
	m.BatteryName = stringValue(p.BatteryName)
	m.FinanceCompany = stringValue(p.FinanceCompany)
	m.FinanceAmount = numberValue(p.FinanceAmount)
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

// settleUnknowns gives every argument still unknown after an apply a known
// value: what the API returned was filled already, the rest is null.
func (m *projectResourceModel) settleUnknowns() {
	var blank projectResourceModel
	blank.nullArgs()
	for _, a := range projectArgs {
		if a.get(m).IsUnknown() {
			a.copy(m, &blank)
		}
	}
}

// nullArgs sets every argument to null.
func (m *projectResourceModel) nullArgs() {
	for _, f := range []*customtypes.StringValue{&m.Address, &m.FirstName, &m.LastName, &m.PhoneNumber, &m.OrgID,
		&m.SalesRep, &m.Setter, &m.FinancingType, &m.ProjectStage, &m.PanelProfileID, &m.InverterProfileID} {
		*f = trimmedString.Null()
	}
	m.Email = caseInsensitive.Null()
	for _, f := range []*customtypes.DecimalValue{&m.SystemSize, &m.AnnualProduction, &m.Consumption, &m.SystemCost,
		&m.FinalPPW, &m.BasePPW, &m.AdderPPW, &m.APR, &m.LeasePPARate, &m.PreITCPayment, &m.EscalatorRate} {
		*f = customtypes.DecimalNull()
	}
	m.TermYears, m.PanelCount, m.InverterCount = types.Int64Null(), types.Int64Null(), types.Int64Null()
	m.SiteSurveyPhotos = types.ListNull(types.StringType)
	m.Adders = types.ListNull(types.StringType)
}

// clearComputed sets the read-only attributes to null (when the project
// could not be read back).
func (m *projectResourceModel) clearComputed() {
	m.fillFromAPI(&pipesolar.Project{}, func(string, attr.Value) bool { return false })
}

func onlyUnknown(_ string, current attr.Value) bool { return current.IsUnknown() }

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, diags := r.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var plan projectResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultProjectTimeout)
	resp.Diagnostics.Append(diags...)
	in, diags := createInput(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id, err := client.CreateProject(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError("Could not create pipe.solar project",
			fmt.Sprintf("POST %s for %s %s <%s> in org %q failed: %v", pipesolar.EndpointCreateProject,
				in.FirstName, in.LastName, in.Email, in.OrgID, err))
		return
	}
	tflog.Info(ctx, "created pipe.solar project", map[string]any{"id": id})
	plan.ID = types.StringValue(id)

	p, err := client.GetProject(ctx, id)
	if err != nil {
		// The project exists: keep it in state (an error here would taint
		// it, and replacing would create a second one).
		resp.Diagnostics.AddWarning("Created project could not be read back",
			fmt.Sprintf("Project %s was created, but reading it back failed: %v\n\nIts read-only attributes are empty "+
				"until the next refresh (terraform apply -refresh-only).", id, err))
		plan.clearComputed()
	} else {
		plan.fillFromAPI(p, onlyUnknown)
	}
	plan.settleUnknowns()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client, diags := r.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var state projectResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	p, err := client.GetProject(ctx, id)
	if err != nil {
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar project no longer exists; removing it from state", map[string]any{"id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Could not read pipe.solar project", apiErrorDetail(err, id))
		return
	}
	state.fillFromAPI(p, func(string, attr.Value) bool { return true })
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	client, diags := r.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var plan, state projectResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultProjectTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()

	// ModifyPlan allowed only two kinds of change: project_stage, and
	// arguments adopted from the configuration (state only).
	if !plan.ProjectStage.IsNull() && !plan.ProjectStage.SemanticallyEqual(state.ProjectStage) {
		stage := strings.TrimSpace(plan.ProjectStage.ValueString())
		if _, err := client.UpdateStage(ctx, id, stage); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("project_stage"), "Could not change the project stage",
				fmt.Sprintf("POST %s for project %s, stage %q: %v", pipesolar.EndpointUpdateStage, id, stage, err))
			return
		}
		p, err := client.GetProject(ctx, id)
		if err != nil {
			resp.Diagnostics.AddWarning("Project could not be read back after the stage change",
				fmt.Sprintf("The stage of project %s was changed to %q, but reading it back failed: %v", id, stage, err))
			plan.clearComputed()
		} else {
			plan.fillFromAPI(p, onlyUnknown)
		}
	}
	plan.settleUnknowns()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.AddWarning("pipe.solar project was not deleted",
		fmt.Sprintf("pipe.solar has no API to delete a project: project %s was removed from Terraform state only and "+
			"still exists in pipe.solar. Archive or delete it in the pipe.solar app if it should go.", id.ValueString()))
}

// nonNegativeNumber rejects negative numbers.
type nonNegativeNumber struct{}

func (nonNegativeNumber) Description(context.Context) string { return "value must be zero or more" }
func (nonNegativeNumber) MarkdownDescription(context.Context) string {
	return "value must be zero or more"
}

func (nonNegativeNumber) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if req.ConfigValue.ValueBigFloat().Sign() < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid number",
			fmt.Sprintf("%s must be zero or more, got %s.", req.Path, customtypes.FormatDecimal(req.ConfigValue.ValueBigFloat())))
	}
}
