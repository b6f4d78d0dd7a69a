# Find every project of an organisation (Terraform 1.14 and later):
#   terraform query                                   lists them
#   terraform query -generate-config-out=projects.tf  writes a resource block
#                                                     and an import block each
list "pipesolar_project" "org" {
  provider = pipesolar
  limit    = 1000 # Terraform's default is 100

  config {
    org_id = "org-123"
  }
}

# Or the projects of one installer.
list "pipesolar_project" "installer" {
  provider = pipesolar

  config {
    installer_id = "inst-456"
  }
}
