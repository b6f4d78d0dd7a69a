# Put a project that exists in pipe.solar under Terraform. Projects are made
# in the pipe.solar app when a lead is sold; this resource adopts one by its
# id and manages only the settings written here.
resource "pipesolar_project" "lovelace" {
  # Pipe's id, the old 10-character reference (from provider 1.x), or the
  # lead's id: any of them names the project.
  project_id = "D4YR1VSK7K"

  # Optional: leave a setting out to let the app own it.
  stage        = "Permitting" # or stage_id (data pipesolar_stages), which survives a rename
  install_date = "2027-01-15"
  ntp_granted  = true

  timeouts {
    update = "10m"
  }
}

# Everything else pipe.solar knows about the project is read-only.
output "lovelace" {
  value = {
    id          = pipesolar_project.lovelace.id
    customer    = "${pipesolar_project.lovelace.customer.first_name} ${pipesolar_project.lovelace.customer.last_name}"
    city        = pipesolar_project.lovelace.address.city
    stage_since = pipesolar_project.lovelace.stage_entered_at
    price       = pipesolar_project.lovelace.contract.price
    link        = pipesolar_project.lovelace.links.project
  }
}
