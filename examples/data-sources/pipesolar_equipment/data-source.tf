# The installer's panels (needs the installer company's key).
data "pipesolar_equipment" "panels" {
  kind = "panel" # or "inverter", "battery"; left out, all three
}

output "default_panel" {
  value = one([for e in data.pipesolar_equipment.panels.equipment : "${e.manufacturer} ${e.model}" if e.default])
}
