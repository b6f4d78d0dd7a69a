# Manage only the stage of a project made in the pipe.solar app. Do not also
# set stage on a pipesolar_project for the same project: the two resources
# would undo each other's change on every apply.
resource "pipesolar_project_stage" "lovelace" {
  project_id = "D4YR1VSK7K"

  # A stage of the project's own company, by name (any case) ...
  stage = "NTP"
}

# ... or by id, which survives a rename of the stage in Settings: read the
# ids from the company's ladder.
data "pipesolar_stages" "solar" {
  product_line = "solar"
}

locals {
  stage_ids = { for s in data.pipesolar_stages.solar.stages : s.name => s.id }
}

resource "pipesolar_project_stage" "turing" {
  project_id = "K7TURING01"
  stage_id   = local.stage_ids["Permitting"]
}
