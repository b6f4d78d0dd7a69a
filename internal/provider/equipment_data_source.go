package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewEquipmentDataSource returns the pipesolar_equipment data source.
func NewEquipmentDataSource() datasource.DataSource {
	return &recordListDataSource[pipesolar.Equipment]{
		dataSourceBase: dataSourceBase{name: "equipment"},
		description: "The installer's active panels, inverters and batteries (`GET /equipment`). A value " +
			"that does not belong to a row's kind is null. Needs the installer company's key (a dealer's key is refused).",
		filter: "kind",
		filterAttribute: schema.StringAttribute{
			MarkdownDescription: "Only this kind: `panel`, `inverter` or `battery`. Default: all three.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(pipesolar.EquipmentKinds...)},
		},
		list:            "equipment",
		listDescription: "The equipment, in the installer's order.",
		fields:          equipmentFields,
		read:            (*pipesolar.Client).ListEquipment,
		failed: func(err error, _ string) diag.Diagnostic {
			return pipeErrorDiag("Could not read the pipe.solar equipment", err)
		},
	}
}

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
