# Append a note to a project's activity log. pipe.solar's activity log is
# append-only: changing the note logs a new one, and destroy leaves the note.
resource "pipesolar_activity" "permit_submitted" {
  project_id   = "D4YR1VSK7K"
  installer_id = "inst-sunville"
  notes        = "Permit application submitted to the City of Sunville."
}
