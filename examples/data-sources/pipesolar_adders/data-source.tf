# The installer's adders and Home Improvement products (needs the installer
# company's key).
data "pipesolar_adders" "all" {}

output "adder_prices" {
  value = { for a in data.pipesolar_adders.all.adders : a.name => "${a.unit_price} ${a.unit}" }
}
