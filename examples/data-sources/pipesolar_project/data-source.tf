data "pipesolar_project" "example" {
  id = "D4YR1VSK7K"
}

output "stage" {
  value = data.pipesolar_project.example.project_stage
}

output "contract_price" {
  value = data.pipesolar_project.example.system_cost
}
