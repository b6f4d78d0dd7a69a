# Every lead of the key's company: all pages are read in one refresh.
data "pipesolar_leads" "all" {}

# Only solar leads changed since a point in time.
data "pipesolar_leads" "recent_solar" {
  product_line  = "solar" # or "hi" (Home Improvement)
  updated_since = "2026-12-01T00:00:00Z"
}

output "lead_count" {
  value = length(data.pipesolar_leads.all.ids)
}

# Leads not sold yet, by sales rep.
output "open_leads_by_rep" {
  value = {
    for l in data.pipesolar_leads.all.leads :
    (l.sales_rep == null ? "unassigned" : l.sales_rep.email) => "${l.customer.first_name} ${l.customer.last_name}"...
    if l.project_id == null && !l.archived
  }
}
