# Find every lead of the key's company (Terraform 1.14 and later):
#   terraform query                                lists them
#   terraform query -generate-config-out=leads.tf  writes a resource block
#                                                  and an import block each
list "pipesolar_lead" "all" {
  provider = pipesolar
  limit    = 1000 # Terraform's default is 100: set it above the company's size
}

# Generate configuration from one list block at a time: two blocks that find
# the same lead would write two resource blocks importing it twice.
#
# Or only the solar leads changed since a point in time.
list "pipesolar_lead" "recent_solar" {
  provider = pipesolar

  config {
    product_line  = "solar"
    updated_since = "2026-12-01T00:00:00Z"
  }
}
