# Every project of the key's company: all pages are read in one refresh.
data "pipesolar_projects" "all" {}

# Only solar projects changed since a point in time.
data "pipesolar_projects" "recent_solar" {
  product_line  = "solar" # or "hi" (Home Improvement)
  updated_since = "2026-12-01T00:00:00Z"
}

output "project_count" {
  value = length(data.pipesolar_projects.all.ids)
}

# Projects by stage.
output "ids_by_stage" {
  value = {
    for p in data.pipesolar_projects.all.projects : p.stage => p.id...
  }
}

output "recently_changed" {
  value = [
    for p in data.pipesolar_projects.recent_solar.projects :
    "${p.customer.first_name} ${p.customer.last_name} (${p.address.city}): ${p.stage}"
  ]
}
