# Bulk import: put every project the company already has in pipe.solar under
# Terraform. Importing creates nothing and writes nothing to pipe.solar.
#
# Needs Terraform 1.7 or later (for_each in import blocks). On 1.14 and later,
# `terraform query -generate-config-out` does the same with less code. The key
# comes from the environment (PIPESOLAR_API_TOKEN), never from this file.
#
#   terraform plan     # N to import, 0 to add, 0 to change, 0 to destroy
#   terraform apply

terraform {
  required_version = ">= 1.7"
  required_providers {
    pipesolar = {
      source  = "pipesolar/pipesolar"
      version = "~> 2.0"
    }
  }
}

variable "product_line" {
  description = "Import only this product line's projects: \"solar\" or \"hi\"; null imports both."
  type        = string
  default     = null
}

variable "exclude_ids" {
  description = "Pipe ids of projects to leave out: ones another configuration manages, or ones moved to a resource block of their own."
  type        = set(string)
  default     = []
}

variable "stages" {
  description = "Stages Terraform should set, by Pipe id (for example { prj_7Yq2mK4w = \"NTP\" }). Other projects keep the stage the app gives them."
  type        = map(string)
  default     = {}
}

# Every project of the company, all pages. The data source has no unknown
# inputs, so it is read while planning and its ids are known in time for the
# import blocks' for_each.
data "pipesolar_projects" "all" {
  product_line = var.product_line
}

locals {
  project_ids = toset([
    for id in data.pipesolar_projects.all.ids : id
    if !contains(var.exclude_ids, id)
  ])
}

# One import per project. Once a project is in state its import is a no-op;
# a project sold in the app later is imported by the next apply.
import {
  for_each = local.project_ids
  to       = pipesolar_project.imported[each.key]
  id       = each.key
}

resource "pipesolar_project" "imported" {
  for_each = local.project_ids

  project_id = each.key

  # Only the stages chosen above are managed; null leaves the stage to the app.
  stage = lookup(var.stages, each.key, null)
}

output "imported_ids" {
  description = "Pipe ids of the projects under Terraform."
  value       = sort(keys(pipesolar_project.imported))
}

output "stages" {
  description = "Current stage of each project, by Pipe id."
  value       = { for id, p in pipesolar_project.imported : id => p.stage }
}
