package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewProjectDataSource returns the pipesolar_project data source.
func NewProjectDataSource() datasource.DataSource {
	return &oneRecordDataSource[pipesolar.Project]{
		dataSourceBase: dataSourceBase{name: "project"},
		noun:           "project",
		fields:         projectFields,
		description: "Reads one pipe.solar project (`GET /projects/{id}`): every attribute the " +
			"`pipesolar_project` resource has, with the same names and meaning, both `stage` and `stage_id`. An id " +
			"pipe.solar does not know (HTTP 404) is an error.",
		idDescription: "The project: any id v1 accepts (Pipe's id, the old 10-character reference, or the id of " +
			"the lead it was sold from). Kept as written; `project_id` is Pipe's id.",
		canonicalDescription: "Pipe's id of the project (the canonical id, whichever form `id` has).",
		get:                  (*pipesolar.Client).GetProject,
		values:               func(p *pipesolar.Project) (map[string]attr.Value, error) { return projectValues(p, nil) },
	}
}
