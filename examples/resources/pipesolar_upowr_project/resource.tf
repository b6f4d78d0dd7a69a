# Photos uploaded first under one association id are attached to the project.
resource "pipesolar_upowr_file" "switchboard" {
  file_association_id = "lovelace-2026-11"
  file_code           = "switchboard_photo"
  source              = "${path.module}/photos/switchboard.jpg"
}

resource "pipesolar_upowr_project" "lovelace" {
  products_of_interest = [{ solar = true, battery = true }]

  customer = jsonencode({
    firstName = "Ada"
    lastName  = "Lovelace"
    email     = "ada.lovelace@example.com"
    phone     = "555-123-9876"
  })
  site = jsonencode({
    address = { line1 = "123 Solar St", city = "Sunville", state = "CA", postcode = "90210" }
  })
  custom_fields = jsonencode({ campaign = "spring-2026" })

  # Referring to the upload makes Terraform upload before creating.
  file_association_id = pipesolar_upowr_file.switchboard.file_association_id

  preferred_days = [1, 3, 5] # Monday, Wednesday, Friday
  class          = "residential"
  xref           = "crm-4711"

  # Accept the contract; bump the revision to accept a revised one.
  contract_accepted = true
  contract_revision = "2026-11-01"

  # Recorded when `terraform destroy` closes the project.
  closed_by = "terraform"
}
