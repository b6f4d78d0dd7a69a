# Every project of an organisation: all pages are read in one refresh.
data "pipesolar_projects" "org" {
  org_id = "org-sunville"
}

# Or every project assigned to one installer.
data "pipesolar_projects" "installer" {
  installer_id = "inst-sunville"
}

output "project_count" {
  value = length(data.pipesolar_projects.org.ids)
}

# Contract price of each signed project, by id.
output "signed_contracts" {
  value = {
    for p in data.pipesolar_projects.org.projects : p.id => p.system_cost
    if p.project_stage == "Contract Signed"
  }
}

output "installer_customers" {
  value = [for p in data.pipesolar_projects.installer.projects : "${p.first_name} ${p.last_name}"]
}
