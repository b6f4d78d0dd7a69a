package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

var _ datasource.DataSourceWithConfigure = &equipmentDataSource{}

// NewEquipmentDataSource returns the pipesolar_equipment data source.
func NewEquipmentDataSource() datasource.DataSource {
	return &equipmentDataSource{dataSourceBase{name: "equipment"}}
}

type equipmentDataSource struct{ dataSourceBase }

// equipmentFields are a row of GET /equipment.
var equipmentFields = []projectField{
	{name: "id", api: "id", kind: kindString, desc: "Id of the equipment."},
	{name: "kind", api: "kind", kind: kindString, desc: "`panel`, `inverter` or `battery`."},
	{name: "manufacturer", api: "manufacturer", kind: kindString, desc: "Manufacturer."},
	{name: "model", api: "model", kind: kindString, desc: "Model; null when none."},
	{name: "watts", api: "watts", kind: kindNumber, desc: "Rated power in watts (panels)."},
	{name: "default", api: "default", kind: kindBool, desc: "Whether it is the installer's default of its kind."},
	{name: "rated_output_watts", api: "ratedOutputWatts", kind: kindNumber, desc: "Rated output in watts (inverters)."},
	{name: "efficiency_percent", api: "efficiencyPercent", kind: kindNumber, desc: "Efficiency in percent."},
	{name: "microinverter", api: "microinverter", kind: kindBool, desc: "Whether it is a microinverter (inverters)."},
	{name: "capacity_kwh", api: "capacityKwh", kind: kindNumber, desc: "Capacity in kWh (batteries)."},
	{name: "continuous_output_watts", api: "continuousOutputWatts", kind: kindNumber,
		desc: "Continuous output in watts (batteries)."},
	{name: "warranty_years", api: "warrantyYears", kind: kindNumber, desc: "Warranty in years; null when none."},
}

func (d *equipmentDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The installer's active panels, inverters and batteries (`GET /equipment`). A value " +
			"that does not belong to a row's kind is null. Needs the installer company's key (a dealer's key is refused).",
		Attributes: map[string]schema.Attribute{
			"kind": schema.StringAttribute{
				MarkdownDescription: "Only this kind: `panel`, `inverter` or `battery`. Default: all three.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(pipesolar.EquipmentKinds...)},
			},
			"equipment": recordListAttribute("The equipment, in the installer's order.", equipmentFields),
		},
	}
}

func (d *equipmentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	client, diags := d.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var kind types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("kind"), &kind)...)
	if resp.Diagnostics.HasError() {
		return
	}
	equipment, err := client.ListEquipment(ctx, kind.ValueString())
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not read the pipe.solar equipment", err))
		return
	}
	setRecordList(ctx, resp, "equipment", equipment, equipmentFields)
}
