# Manage the stage of a project that was created in the pipe.solar app.
# Do not also set project_stage on a pipesolar_project for the same project:
# the two resources would undo each other's change on every apply.
resource "pipesolar_project_stage" "lovelace" {
  project_id = "D4YR1VSK7K"

  # Exactly as configured in pipe.solar: "NTP", "Permitting", "Contract Signed", ...
  stage = "NTP"

  # Optional: with the provider's batch_refresh, refresh reads the stage from
  # this org's listing instead of one fetch_project call.
  org_id = "acme-solar"
}
