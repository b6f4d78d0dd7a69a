# pipe.solar fetches each file from its URL into the project's folder.
resource "pipesolar_project_file" "installation_photos" {
  project_id = "D4YR1VSK7K"
  folder_id  = "installation_photos"
  file_urls = [
    "https://files.example.com/D4YR1VSK7K/roof.jpg",
    "https://files.example.com/D4YR1VSK7K/panels.jpg",
  ]
}

# The signed contract goes to the contract folder.
resource "pipesolar_project_file" "contract" {
  project_id = "D4YR1VSK7K"
  folder_id  = "contract"
  file_urls  = ["https://files.example.com/D4YR1VSK7K/contract.pdf"]
}
