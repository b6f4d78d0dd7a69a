# One project, by the id shown in the pipe.solar app.
data "pipesolar_project" "example" {
  id = "D4YR1VSK7K"

  # Optional: with the provider's batch_refresh, the project is read from this
  # org's listing, shared with every other read of the org.
  org_id = "acme-solar"
}

output "stage" {
  value = data.pipesolar_project.example.project_stage
}

# A number, although the API writes it as "18,450.01".
output "contract_price" {
  value = data.pipesolar_project.example.system_cost
}

output "permit_folder" {
  value = lookup(data.pipesolar_project.example.file_urls, "permits", null)
}
