# Manage only the stage of a project made in the pipe.solar app. Do not also
# set stage on a pipesolar_project for the same project: the two resources
# would undo each other's change on every apply.
resource "pipesolar_project_stage" "lovelace" {
  project_id = "D4YR1VSK7K"

  # A stage of the project's own company, by name (any case) ...
  stage = "NTP"
  # ... or by id, which survives a rename:
  # stage_id = "..." (the id from data pipesolar_stages, or a project's stage_id)
}
