# Bulk import: bring every project an organisation already has in pipe.solar
# under Terraform. Importing creates nothing and writes nothing to pipe.solar.
#
# Needs Terraform 1.7 or later (for_each in import blocks). Credentials come
# from the environment (PIPESOLAR_API_TOKEN), never from this file.
#
#   terraform plan -var org_id=org-sunville    # N to import, 0 to add
#   terraform apply -var org_id=org-sunville

terraform {
  required_version = ">= 1.7"
  required_providers {
    pipesolar = {
      source = "pipesolar/pipesolar"
    }
  }
}

variable "org_id" {
  description = "The pipe.solar organisation whose projects are imported."
  type        = string
}

variable "sales_rep" {
  description = "Recorded as sales_rep of every imported project. pipe.solar never returns it and cannot change it, so it is only a label in state; null records nothing."
  type        = string
  default     = null
}

variable "setter" {
  description = "Recorded as setter of every imported project, like sales_rep; null records nothing."
  type        = string
  default     = null
}

variable "exclude_ids" {
  description = "Projects to leave out: ones another configuration manages, or ones moved to a resource block of their own."
  type        = set(string)
  default     = []
}

variable "stages" {
  description = "Stages Terraform should set, by project id (for example { D4YR1VSK7K = \"NTP\" }). Other projects keep the stage they have in pipe.solar."
  type        = map(string)
  default     = {}
}

# Every project of the organisation, all pages. The data source has no
# unknown inputs, so it is read while planning and its ids are known in time
# for the import blocks' for_each.
data "pipesolar_projects" "org" {
  org_id = var.org_id
}

locals {
  projects = {
    for p in data.pipesolar_projects.org.projects : p.id => p
    if !contains(var.exclude_ids, p.id)
  }
}

# One import per project. Once a project is in state its import is a no-op;
# a project added in the pipe.solar app later is imported by the next apply.
import {
  for_each = local.projects
  to       = pipesolar_project.imported[each.key]
  id       = each.key
}

resource "pipesolar_project" "imported" {
  for_each = local.projects

  # Taken from what pipe.solar reports, so the import plans no change to them.
  first_name        = each.value.first_name
  last_name         = each.value.last_name
  email             = each.value.email
  phone_number      = each.value.phone_number
  address           = each.value.address
  system_size       = each.value.system_size
  annual_production = each.value.annual_production
  system_cost       = each.value.system_cost
  base_ppw          = each.value.base_ppw
  final_ppw         = each.value.final_ppw
  financing_type    = each.value.financing_type
  term_years        = each.value.term_years
  apr               = each.value.apr
  panel_count       = each.value.panel_count
  inverter_count    = each.value.inverter_count
  adders            = each.value.adders

  # The one argument Terraform can change on an existing project.
  project_stage = lookup(var.stages, each.key, each.value.project_stage)

  # pipe.solar does not return these: the first plan records them in state
  # from here, an in-place update without any API call.
  org_id    = var.org_id
  sales_rep = var.sales_rep
  setter    = var.setter

  # No ignore_changes: every argument above follows what pipe.solar reports,
  # so a change made in the app is taken over instead of failing the plan.
}

output "imported_ids" {
  description = "Ids of the projects under Terraform."
  value       = sort(keys(pipesolar_project.imported))
}

output "stages" {
  description = "Current stage of each project, by id."
  value       = { for id, p in pipesolar_project.imported : id => p.project_stage }
}
