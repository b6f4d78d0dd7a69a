# One project, by any id form: Pipe's id, the old 10-character reference or
# the lead's id.
data "pipesolar_project" "example" {
  id = "D4YR1VSK7K"
}

output "stage" {
  value = data.pipesolar_project.example.stage
}

output "customer_email" {
  value = data.pipesolar_project.example.customer.email
}

# The signed price with tax; a number, compared as a decimal.
output "contract_price" {
  value = data.pipesolar_project.example.contract.price
}

# Pipe's links to the files in one folder (a folder without files is absent).
output "permit_files" {
  value = lookup(data.pipesolar_project.example.files, "permit", [])
}

# Milestones that have a day, such as installScheduled.
output "install_scheduled" {
  value = lookup(data.pipesolar_project.example.milestones, "installScheduled", null)
}

# id stays as written; project_id is Pipe's id of the project.
output "pipe_id" {
  value = data.pipesolar_project.example.project_id
}
