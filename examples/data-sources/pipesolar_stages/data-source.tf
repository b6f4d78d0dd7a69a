# The solar stage ladder (needs the installer company's key).
data "pipesolar_stages" "solar" {
  product_line = "solar" # or "hi"; left out, both ladders
}

# Stage ids by name, for pipesolar_project's stage_id.
output "solar_stage_ids" {
  value = { for s in data.pipesolar_stages.solar.stages : s.name => s.id }
}
