locals {
  # One new, unique association id per project's batch of uploads.
  photos = "lovelace-2026-11"
}

# Each upload fills one slot: association id + file code. Editing the local
# file replaces the resource, which uploads the new content into the slot.
resource "pipesolar_upowr_file" "switchboard" {
  file_association_id = local.photos
  file_code           = "switchboard_photo"
  source              = "${path.module}/photos/switchboard.jpg"
}

resource "pipesolar_upowr_file" "site_access" {
  file_association_id = local.photos
  file_code           = "site_access_photo"
  source              = "${path.module}/photos/gate.jpg"
}

# The project picks the uploads up when it is created. Referring to an
# upload's file_association_id makes Terraform upload before it creates the
# project; depends_on does the same for the other upload. Files uploaded after
# the project exists are not attached to it.
resource "pipesolar_upowr_project" "lovelace" {
  products_of_interest = [{ solar = true }]
  customer = jsonencode({
    firstName = "Ada"
    lastName  = "Lovelace"
    email     = "ada.lovelace@example.com"
  })
  file_association_id = pipesolar_upowr_file.switchboard.file_association_id
  depends_on          = [pipesolar_upowr_file.site_access]
}
