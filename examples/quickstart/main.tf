# Quickstart: run it with `make demo`, which starts the bundled mock API on
# loopback and points the provider at it through these environment variables:
#   PIPESOLAR_BASE_URL, PIPESOLAR_API_TOKEN
#   UPOWR_BASE_URL, UPOWR_TOKEN_URL, UPOWR_CLIENT_ID, UPOWR_CLIENT_SECRET
# Against the real services, set the same variables (without the base URLs).

terraform {
  required_providers {
    pipesolar = {
      source = "pipesolar/pipesolar"
    }
  }
}

provider "pipesolar" {}

variable "project_id" {
  description = "An existing pipe.solar project to read."
  type        = string
}

data "pipesolar_project" "existing" {
  id = var.project_id
}

output "customer" {
  value = "${data.pipesolar_project.existing.first_name} ${data.pipesolar_project.existing.last_name} <${data.pipesolar_project.existing.email}>"
}

output "stage" {
  value = data.pipesolar_project.existing.project_stage
}

output "system" {
  value = {
    size_kw  = data.pipesolar_project.existing.system_size
    panels   = data.pipesolar_project.existing.panel_count
    price    = data.pipesolar_project.existing.system_cost
    financed = data.pipesolar_project.existing.financing_type
  }
}
