# pipe.solar copies each file from its public https URL into the project's
# folder and keeps its own copy. Changing the block replaces the resource;
# nothing is ever removed from pipe.solar, and a URL already in the folder is
# not added twice.
resource "pipesolar_project_file" "installation_photos" {
  project_id = "D4YR1VSK7K"
  folder     = "installationPhoto"
  files = [
    { url = "https://files.example.com/D4YR1VSK7K/roof.jpg", name = "Roof" },
    { url = "https://files.example.com/D4YR1VSK7K/panels.jpg" },
  ]
}

# Folders: contract, utilityBill, identification, material, siteSurvey,
# planset, permit, interconnection, other, homeInsurance, installationPhoto,
# internal.
resource "pipesolar_project_file" "contract" {
  project_id = "D4YR1VSK7K"
  folder     = "contract"
  files      = [{ url = "https://files.example.com/D4YR1VSK7K/contract.pdf" }]
}

output "photo_file_ids" {
  value = pipesolar_project_file.installation_photos.files[*].id
}
