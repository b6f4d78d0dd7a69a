package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewStagesDataSource returns the pipesolar_stages data source.
func NewStagesDataSource() datasource.DataSource {
	return &recordListDataSource[pipesolar.Stage]{
		dataSourceBase: dataSourceBase{name: "stages"},
		description: "The company's stage ladders (`GET /stages`): the stages a project can be moved to " +
			"with `pipesolar_project` or `pipesolar_project_stage`. Needs the installer company's key (a dealer's " +
			"key is refused).",
		filter: "product_line",
		filterAttribute: schema.StringAttribute{
			MarkdownDescription: "Only this product line's ladder: `solar` or `hi` (Home Improvement). Default: both.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf("solar", "hi")},
		},
		list:            "stages",
		listDescription: "The stages, in the order of their ladders.",
		fields:          stageFields,
		read:            (*pipesolar.Client).ListStages,
		failed: func(err error, _ string) diag.Diagnostic {
			return pipeErrorDiag("Could not read the pipe.solar stage ladder", err)
		},
	}
}

// stageFields are a rung of GET /stages.
var stageFields = []projectField{
	{name: "id", api: "id", kind: kindString, desc: "Id of the stage (a project's `stage_id`)."},
	{name: "name", api: "name", kind: kindString, desc: "Name of the stage (a project's `stage`)."},
	{name: "product_line", api: "productLine", kind: kindString, desc: "`solar` or `hi` (Home Improvement)."},
	{name: "position", api: "position", kind: kindNumber, desc: "Place of the stage on its ladder."},
	{name: "kind", api: "kind", kind: kindString,
		desc: "`normal`, `onHold` (a project waits there) or `cancelled` (a project stopped there)."},
}
